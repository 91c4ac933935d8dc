/**
 * Lists the longest functions and methods in `src/` and `connectors/`, longest first:
 *   node --import tsx scripts/function-lengths.ts [N]
 * The style rule is that none is over about 120 lines (`test/architecture/function-length.test.ts`).
 */
import { functionLengths } from "../test/support/function-lengths.js";

const n = Number(process.argv[2] ?? 10);
for (const f of (await functionLengths(["src", "connectors"])).slice(0, n))
  console.log(`${String(f.lines).padStart(5)}  ${f.file}:${f.line}  ${f.name}`);
