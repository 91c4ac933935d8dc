import type { Operation } from "../model/operation.js";

/** Which target attributes the report reads a person's school, role and ECK iD from. */
export interface FactAttributes {
  /** Attribute holding the BRIN (default `nlEduPersonHomeOrganizationId`, Entree). */
  school: string;
  /** Attribute holding the school's name (default `nlEduPersonHomeOrganization`). */
  schoolName: string;
  /** Attribute holding the role (default `eduPersonAffiliation`). */
  role: string;
  /** Attribute holding the ECK iD (default `eckId`). */
  eckId: string;
  /**
   * `schacHomeOrganization` value → school label (a BRIN), for profiles without a BRIN
   * attribute. Without an entry the `schacHomeOrganization` value itself is the label.
   */
  homeOrganizations: Record<string, string>;
}

export const DEFAULT_FACT_ATTRIBUTES: FactAttributes = {
  school: "nlEduPersonHomeOrganizationId",
  schoolName: "nlEduPersonHomeOrganization",
  role: "eduPersonAffiliation",
  eckId: "eckId",
  homeOrganizations: {},
};

/** The facts of one operation's object the report groups by. */
export interface PersonFacts {
  school: string | null;
  schoolName: string | null;
  role: string | null;
  name: string | null;
  hasEckId: boolean;
}

const SCHOOL = 0;
const ROLE = 1;
const ECKID = 2;
const HOME_ORG = 3;
const DISPLAY_NAME = 4;
const CN = 5;
const GIVEN_NAME = 6;
const SN = 7;
const SCHOOL_NAME = 8;
const FIXED = 9;

/**
 * Reads the values an operation shows for its target object: the whole entry for a create
 * (or any op carrying `attrs`), else what its changes set, else the values seen at plan time
 * (`from`). Attribute names compare case-insensitively. Built once per report and reused for
 * every operation, so reading 100k operations allocates next to nothing.
 */
export class FactReader {
  readonly #attrs: FactAttributes;
  readonly #slotOf = new Map<string, number>();
  readonly #lower = new Map<string, string>();
  readonly #values: (string[] | undefined)[];
  /** Slot of each extra attribute, in the order they were given. */
  readonly #extra: number[];

  /** `extra` are further attributes to track (a profile's), read back with {@link has}. */
  constructor(attrs: FactAttributes, extra: string[] = []) {
    this.#attrs = attrs;
    const fixed = [
      attrs.school,
      attrs.role,
      attrs.eckId,
      "schacHomeOrganization",
      "displayName",
      "cn",
      "givenName",
      "sn",
      attrs.schoolName,
    ];
    for (const [i, name] of fixed.entries()) this.#slotOf.set(name.toLowerCase(), i);
    for (const [i, name] of extra.entries()) {
      if (!this.#slotOf.has(name.toLowerCase())) this.#slotOf.set(name.toLowerCase(), FIXED + i);
    }
    this.#values = new Array(FIXED + extra.length).fill(undefined);
    this.#extra = extra.map((name) => this.#slotOf.get(name.toLowerCase()) ?? -1);
  }

  /**
   * Reads `op`, then fills what it does not show from `entry` (the target entry it changes);
   * the facts and {@link has} answer for it until the next call.
   */
  read(op: Operation, entry?: Record<string, string[]>): void {
    this.#values.fill(undefined);
    if (op.attrs) {
      for (const name in op.attrs) {
        const v = op.attrs[name];
        if (v && v.length > 0) this.#set(name, v, true);
      }
    }
    if (op.changes) {
      for (const c of op.changes) {
        const v = c.replace ?? c.add ?? c.from;
        if (v && v.length > 0) this.#set(c.attr, v, false);
      }
    }
    if (entry) {
      for (const name in entry) {
        const v = entry[name];
        if (v && v.length > 0) this.#set(name, v, false);
      }
    }
  }

  /** Whether the last operation read shows a value for the `i`-th extra attribute. */
  has(i: number): boolean {
    const slot = this.#extra[i];
    return slot !== undefined && slot >= 0 && this.#values[slot] !== undefined;
  }

  /** School, role, name and ECK iD presence of the last operation read. */
  facts(): PersonFacts {
    const v = this.#values;
    return {
      school: this.#school(),
      schoolName: v[SCHOOL_NAME]?.[0] ?? null,
      role: roleOf(v[ROLE]),
      name: v[DISPLAY_NAME]?.[0] ?? v[CN]?.[0] ?? joinName(v[GIVEN_NAME]?.[0], v[SN]?.[0]),
      hasEckId: v[ECKID] !== undefined,
    };
  }

  #set(name: string, values: string[], overwrite: boolean): void {
    let lower = this.#lower.get(name);
    if (lower === undefined) {
      lower = name.toLowerCase();
      this.#lower.set(name, lower);
    }
    const slot = this.#slotOf.get(lower);
    if (slot === undefined) return;
    if (overwrite || this.#values[slot] === undefined) this.#values[slot] = values;
  }

  #school(): string | null {
    const brin = this.#values[SCHOOL]?.[0];
    if (brin) return brin.toUpperCase();
    const home = this.#values[HOME_ORG]?.[0];
    if (!home) return null;
    return this.#attrs.homeOrganizations[home] ?? home;
  }
}

/** The most telling role: `member` only says someone belongs, so any other value wins. */
function roleOf(roles: string[] | undefined): string | null {
  if (!roles) return null;
  const role = roles.find((r) => r.toLowerCase() !== "member") ?? roles[0];
  return role === undefined ? null : role.toLowerCase();
}

function joinName(given: string | undefined, sn: string | undefined): string | null {
  if (given && sn) return `${given} ${sn}`;
  return given ?? sn ?? null;
}
