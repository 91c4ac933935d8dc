/**
 * Child process of the durability test: applies operations `from`..`count` of the crash scenario
 * to the LDIF target at `file`, flushing after each and printing `flushed <m>` (m operations are
 * durable); closes and reopens the target every 7 operations. The parent kills it at random.
 */
import { type LdifTarget, openLdifTarget } from "../../../connectors/ldif/target.js";
import { crashScenario } from "./crash-ops.js";

const [file, fromText, countText] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
const { ops } = crashScenario(count);
const open = () =>
  openLdifTarget(
    { type: "ldif", file, personClasses: ["inetOrgPerson"], groupClasses: ["groupOfNames"] },
    { name: "t", baseDir: "." },
  );

let target: LdifTarget = await open();
process.stdout.write("ready\n");
for (let m = Number(fromText); m < count; m++) {
  await target.apply(ops[m] as (typeof ops)[number]);
  await target.flush?.();
  process.stdout.write(`flushed ${m + 1}\n`);
  if ((m + 1) % 7 === 0) {
    await target.close();
    target = await open();
  }
}
await target.close();
process.stdout.write("done\n");
