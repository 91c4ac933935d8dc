import type { Config } from "../config/schema.js";
import type { ProgressFn, TargetConnector } from "../model/connector.js";
import { attrValues } from "../model/entry.js";
import { type Person, refOf } from "../model/person.js";
import { anchorFor, type EntryMapper, normKey } from "../plan/planner.js";
import { isEckId } from "./format.js";

const ENTRIES_PER_PROGRESS = 1000;

/** The mapping variables the planner gives every person (institution, then `vars`). */
function mappingVars(config: Config): Record<string, string> {
  return {
    realm: config.institution.realm,
    schacHomeOrganization: config.institution.schacHomeOrganization ?? config.institution.realm,
    institution: config.institution.name,
    ...config.vars,
  };
}

/**
 * Reads the ECK iDs the target already holds (attribute `eckId`, format-checked) and returns
 * a look-up that finds a person's value the way the planner correlates: by the anchor the
 * mapping gives (or the default anchor of the person's reference), else by key for a target
 * entry without an anchor. Persons whose target entry has no ECK iD get undefined.
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
  const anchorAttr = config.correlation.anchor;
  const byAnchor = new Map<string, string>();
  const byKey = new Map<string, string>();
  let read = 0;
  for await (const entry of target.read()) {
    read++;
    if (progress && read % ENTRIES_PER_PROGRESS === 0) progress(read);
    if (entry.type !== "person") continue;
    const eckId = attrValues(entry.attrs, "eckId").find(isEckId);
    if (eckId === undefined) continue;
    const anchor = attrValues(entry.attrs, anchorAttr)[0];
    if (anchor !== undefined) byAnchor.set(anchor, eckId);
    else byKey.set(normKey(entry.key), eckId);
  }
  progress?.(read, read);
  const vars = mappingVars(config);
  const scope = vars.schacHomeOrganization as string;
  return (person) => {
    if (byAnchor.size === 0 && byKey.size === 0) return undefined;
    const fallback = anchorFor(refOf(person), scope);
    const mapped = mapper.mapPerson(person, vars);
    if (!mapped.ok) return byAnchor.get(fallback);
    const anchor = attrValues(mapped.attrs, anchorAttr)[0] ?? fallback;
    return byAnchor.get(anchor) ?? byKey.get(normKey(mapped.key));
  };
}
