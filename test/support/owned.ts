import { normKey } from "../../src/plan/keys.js";
import { OWNED_GROUPS } from "../../src/plan/ownership.js";
import type { StateStore } from "../../src/state/store.js";

/** Records `keys` as groups an earlier Overstap run created, as that run's apply would have. */
export async function ownGroups(store: StateStore, ...keys: string[]): Promise<void> {
  await store.setValues(
    OWNED_GROUPS,
    keys.map((k) => [normKey(k), "20261101-090000-earlier"]),
  );
}
