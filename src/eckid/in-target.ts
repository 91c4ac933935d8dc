import type { Config } from "../config/schema.js";
import type { ProgressFn, TargetConnector } from "../model/connector.js";
import { attrValues } from "../model/entry.js";
import { type Person, refOf } from "../model/person.js";
import type { EntryMapper } from "../plan/entry-mapper.js";
import { anchorFor, normKey } from "../plan/keys.js";
import { linkedEntry } from "../plan/link.js";
import { AttributeColumns, MappedPerson } from "../plan/mapped-person.js";
import { mappingVars } from "../plan/stage-inputs.js";
import { TargetIndex } from "../plan/target-index.js";
import type { TargetRecord } from "../plan/target-record.js";
import { isEckId } from "./format.js";

const ECKID_ATTRIBUTE = "eckId";

/**
 * The target as far as correlation and this step need it: person entries only, each with just
 * the attributes in `names` (any case), so the index stays small next to the hashing pool.
 * `seen` is called with each entry's attributes as it is read.
 */
function personsWith(
  target: TargetConnector,
  names: readonly string[],
  seen: (attrs: Record<string, string[]>) => void,
): TargetConnector {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  return {
    name: target.name,
    async *read(options) {
      for await (const entry of target.read(options)) {
        if (entry.type !== "person") continue;
        const attrs: Record<string, string[]> = {};
        for (const [name, values] of Object.entries(entry.attrs))
          if (wanted.has(name.toLowerCase())) attrs[name] = values;
        seen(attrs);
        yield { key: entry.key, type: entry.type, attrs };
      }
    },
    get: (key, type) => target.get(key, type),
    apply: (op) => target.apply(op),
    close: () => target.close(),
  };
}

/** The first value of the entry's `eckId` attribute that has the ECK iD format. */
function eckIdOf(record: TargetRecord | undefined): string | undefined {
  return record && attrValues(record.entry().attrs, ECKID_ATTRIBUTE).find(isEckId);
}

/**
 * Reads the target's person entries into a {@link TargetIndex} (as the planner does, with only
 * the attributes correlation and this step need) and returns a look-up that finds the ECK iD
 * (attribute `eckId`, format-checked) on the entry the planner links the
 * person to: by the anchor the mapping gives (or the default anchor of the person's
 * reference), else the entry without an anchor at the person's key, else by the configured
 * `correlation.keys`. A person the planner would leave out as ambiguous or conflicting, or
 * whose entry has no ECK iD, gets undefined. Persons are correlated one at a time, so two
 * persons claiming one entry both find its value (the planner leaves both out). A person the
 * mapping fails for is looked up by the default anchor only. Nobody is mapped when no entry
 * holds an ECK iD.
 *
 * @example
 * const inTarget = await targetEckIds(await project.target(), config, await project.mapping());
 * inTarget(person); // "https://ketenid.nl/201703/…" or undefined
 */
export async function targetEckIds(
  target: TargetConnector,
  config: Config,
  mapper: EntryMapper,
  progress?: ProgressFn,
): Promise<(person: Person) => string | undefined> {
  const { anchor: anchorAttr, keys } = config.correlation;
  const names = [anchorAttr, ECKID_ATTRIBUTE, ...keys.map((k) => k.attribute)];
  let withEckId = 0;
  const persons = personsWith(target, names, (attrs) => {
    if (attrValues(attrs, ECKID_ATTRIBUTE).some(isEckId)) withEckId++;
  });
  const index = await TargetIndex.read(persons, anchorAttr, { progress, keys });
  if (withEckId === 0) return () => undefined;
  const vars = mappingVars(config);
  const scope = vars.schacHomeOrganization as string;
  const columns = new AttributeColumns(keys.map((k) => k.attribute));
  return (person) => {
    const ref = refOf(person);
    const fallback = anchorFor(ref, scope);
    const mapped = mapper.mapPerson(person, vars);
    if (!mapped.ok) return index.sharedAnchor(fallback) ? undefined : eckIdOf(index.byAnchor.get(fallback));
    const anchor = attrValues(mapped.attrs, anchorAttr)[0] ?? fallback;
    columns.record(0, mapped.attrs);
    const m = new MappedPerson({
      ref,
      key: mapped.key,
      norm: normKey(mapped.key),
      anchor,
      enabled: person.enabled,
      selected: true,
      row: 0,
    });
    return eckIdOf(linkedEntry(m, columns, index, config.correlation));
  };
}
