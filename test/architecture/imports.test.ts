import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DIRS = ["src", "connectors"];

/** `import … from "./x.js"`, `import type …`, `export … from` and `import("./x.js")`, relative only. */
const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** Every TypeScript module under `DIRS`, relative to the repository, with the modules it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const dir of DIRS) {
    for (const name of readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]) {
      if (!name.endsWith(".ts")) continue;
      const file = path.join(dir, name);
      const text = readFileSync(path.join(ROOT, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      const targets = new Set<string>();
      for (const m of text.matchAll(SPECIFIER)) {
        const spec = (m[1] ?? m[2]) as string;
        targets.add(path.normalize(path.join(path.dirname(file), spec.replace(/\.js$/, ".ts"))));
      }
      graph.set(path.normalize(file), [...targets]);
    }
  }
  return graph;
}

/** The cycles of `graph`, one per strongly connected component, each as a path back to its start. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    const self = (graph.get(v) ?? []).includes(v);
    if (component.length > 1 || self) found.push(cycleThrough(graph, new Set(component), v));
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** One shortest cycle from `start` back to itself inside `component` (breadth first). */
function cycleThrough(graph: Map<string, string[]>, component: Set<string>, start: string): string[] {
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift() as string;
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const chain = [v];
        while (chain[0] !== start) chain.unshift(from.get(chain[0] as string) as string);
        return [...chain, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

describe("the import graph of src/ and connectors/", () => {
  const graph = importGraph();

  it("reads the imports of every module, type-only ones included", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(path.normalize("src/cli/main.ts"))).toContain(path.normalize("src/cli/plan.ts"));
  });

  it("has no cycles", () => {
    expect(cycles(graph).map((c) => c.join(" → "))).toEqual([]);
  });

  it("keeps the command line on top: only src/cli imports src/cli", () => {
    const cli = path.normalize("src/cli/");
    const crossing = [...graph]
      .filter(([file]) => !file.startsWith(cli))
      .flatMap(([file, targets]) => targets.filter((t) => t.startsWith(cli)).map((t) => `${file} → ${t}`));
    expect(crossing).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const looped = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(cycles(looped)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });
});
