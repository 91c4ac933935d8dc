import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { demoFiles } from "../demo/data.js";
import { OverstapError } from "../errors.js";
import { anchorFor } from "../plan/keys.js";
import { packageRoot } from "../util/package-root.js";

/**
 * The example mappings shipped in `mappings/examples/` (one folder each).
 * @example exampleNames() // ["po-bestuur-entra", "universiteit-surfconext", "vo-school-eckid"]
 */
export function exampleNames(): string[] {
  const dir = path.join(packageRoot(), "mappings", "examples");
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
}

/**
 * Scaffolds a project in `dir`: `overstap.yaml` and `mapping.yaml`, from an example or from the
 * demo board. Never overwrites an existing file. Returns the files written.
 * @example await initProject("mijn-bestuur", "po-bestuur-entra")
 */
export async function initProject(dir: string, example?: string): Promise<string[]> {
  let files: Record<string, string>;
  if (example) {
    const from = path.join(packageRoot(), "mappings", "examples", example);
    if (!existsSync(from)) {
      throw new OverstapError("USAGE", `there is no example "${example}"`, {
        hint: `Examples: ${exampleNames().join(", ") || "(none)"}.`,
      });
    }
    files = Object.fromEntries(
      readdirSync(from)
        .filter((f) => /\.(ya?ml|md)$/.test(f))
        .map((f) => [f, readFileSync(path.join(from, f), "utf8")]),
    );
  } else {
    const demo = demoFiles((ref) => anchorFor(ref, "voorbeeld.nl"));
    files = { "overstap.yaml": demo["overstap.yaml"], "mapping.yaml": demo["mapping.yaml"] };
  }
  await mkdir(dir, { recursive: true });
  const existing = Object.keys(files).filter((f) => existsSync(path.join(dir, f)));
  if (existing.length) {
    throw new OverstapError(
      "USAGE",
      `${path.join(dir, existing[0] as string)} exists already; init never overwrites`,
      {
        hint: "Choose an empty folder: overstap init NEW-FOLDER",
      },
    );
  }
  for (const [name, text] of Object.entries(files))
    await writeFile(path.join(dir, name), text, { mode: 0o600 });
  return Object.keys(files).map((f) => path.join(dir, f));
}
