import type { Operation } from "../model/operation.js";
import type { FactReader } from "./person-facts.js";
import type { AttributeCoverage, Readiness } from "./schema.js";

/** A federation profile's attributes, as far as the report needs them. */
export interface ProfileAttributes {
  name?: string;
  required: string[];
  optional: string[];
}

/** Counts, over the creates of a plan, which profile attributes each new entry has. */
export class CoverageCounter {
  readonly #required: string[];
  readonly #optional: string[];
  readonly #present: number[];
  readonly #requiredLower: Set<string>;
  /** Required then optional attributes: the order {@link FactReader.has} is asked in. */
  readonly attributes: string[];
  #creates = 0;
  #complete = 0;
  #removed = 0;

  constructor(profile: ProfileAttributes) {
    this.#required = [...profile.required];
    this.#optional = [...profile.optional];
    this.#requiredLower = new Set(this.#required.map((a) => a.toLowerCase()));
    this.attributes = [...this.#required, ...this.#optional];
    this.#present = this.attributes.map(() => 0);
  }

  /** Counts the entry the reader read last. */
  add(reader: FactReader): void {
    this.#creates++;
    let complete = true;
    for (let i = 0; i < this.#present.length; i++) {
      if (reader.has(i)) this.#present[i] = (this.#present[i] ?? 0) + 1;
      else if (i < this.#required.length) complete = false;
    }
    if (complete) this.#complete++;
  }

  /** Counts an update that removes a required attribute. */
  checkRemoval(op: Operation): void {
    const removes = (op.changes ?? []).some((c) => {
      if (!this.#requiredLower.has(c.attr.toLowerCase())) return false;
      if (c.replace !== undefined) return c.replace.length === 0;
      const from = c.from ?? [];
      return !c.add?.length && from.length > 0 && from.every((v) => c.remove?.includes(v));
    });
    if (removes) this.#removed++;
  }

  /**
   * The readiness of the stage: the creates with every required attribute, out of the creates
   * and the persons left out; `missingFields` are the left-out persons per field.
   */
  result(profile: string, leftOut: number, missingFields: Map<string, number>): Readiness {
    const cover = (attr: string, i: number): AttributeCoverage => {
      const present = this.#present[i] ?? 0;
      return { attr, present, percent: this.#creates > 0 ? (present / this.#creates) * 100 : 0 };
    };
    const required = this.#required.map((a, i) => cover(a, i));
    const missing = new Map(missingFields);
    for (const c of required) {
      if (c.present < this.#creates)
        missing.set(c.attr, (missing.get(c.attr) ?? 0) + this.#creates - c.present);
    }
    const basis = this.#creates + leftOut;
    return {
      profile,
      basis,
      ready: this.#complete,
      percent: basis > 0 ? (this.#complete / basis) * 100 : 0,
      creates: this.#creates,
      leftOut,
      missing: [...missing]
        .map(([attr, persons]) => ({ attr, persons }))
        .sort((a, b) => b.persons - a.persons || a.attr.localeCompare(b.attr)),
      required,
      optional: this.#optional.map((a, i) => cover(a, this.#required.length + i)),
      requiredRemoved: this.#removed,
    };
  }
}
