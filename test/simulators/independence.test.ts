import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
/** The code under test, which a simulator must not share: it is written from the public docs. */
const FORBIDDEN = ["src", "connectors"].map((d) => path.join(ROOT, d) + path.sep);

/** Every module specifier of a file: static imports and re-exports, and dynamic `import()`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\bimport\s*["']([^"']+)["']/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1] as string);
  return found;
}

/** The specifiers of `file` that lead into `src/` or `connectors/`. */
function crossings(file: string, source: string): string[] {
  return specifiers(source).filter((s) => {
    if (!s.startsWith(".")) return false;
    const target = path.resolve(path.dirname(file), s);
    return FORBIDDEN.some((dir) => target.startsWith(dir));
  });
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

describe("simulators share no code with the clients they test", () => {
  it("no file under test/simulators imports from src/ or connectors/", () => {
    const files = tsFiles(HERE);
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((f) =>
      crossings(f, readFileSync(f, "utf8")).map((s) => `${path.relative(ROOT, f)}: ${s}`),
    );
    expect(found).toEqual([]);
  });

  it("the scan finds every kind of import into the code under test", () => {
    const file = path.join(HERE, "graph", "server.ts");
    const source = [
      'import { a } from "../../../src/eckid/soap.js";',
      'import type {\n  B,\n} from "../../../connectors/entra/budget.js";',
      'export { c } from "../../../src/x.js";',
      'const d = await import("../../../connectors/entra/map.js");',
      'import "../../../src/side-effect.js";',
      'import { e } from "./odata.js";',
      'import { f } from "fast-xml-parser";',
    ].join("\n");
    expect(crossings(file, source)).toEqual([
      "../../../src/eckid/soap.js",
      "../../../connectors/entra/budget.js",
      "../../../src/x.js",
      "../../../connectors/entra/map.js",
      "../../../src/side-effect.js",
    ]);
  });
});
