/** The 32-bit FNV-1a offset basis and prime (the first lane of `managedDigest` uses them too). */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/**
 * A 32-bit hash of `value`, of its lower case when `fold` (equal for any two values whose
 * `toLowerCase()` is equal; ASCII is folded without making a lower-case copy).
 */
export function valueHash(value: string, fold: boolean): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < value.length; i++) {
    let c = value.charCodeAt(i);
    if (fold) {
      if (c > 127) return valueHash(value.toLowerCase(), false);
      if (c >= 65 && c <= 90) c |= 32;
    }
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h | 0;
}

/** A set of 32-bit hashes in one typed array (open addressing), for millions of values. */
export class HashSet {
  #slots: Int32Array;
  #size = 0;
  /** Whether the set holds 0 (the empty slot's mark). */
  #zero = false;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.#slots = new Int32Array(capacity);
  }

  /** Whether `h` is in the set. */
  has(h: number): boolean {
    if (h === 0) return this.#zero;
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const x = slots[i] as number;
      if (x === h) return true;
      if (x === 0) return false;
    }
  }

  /** Adds `h`; false when it was there already. */
  add(h: number): boolean {
    if (h === 0) {
      if (this.#zero) return false;
      this.#zero = true;
      return true;
    }
    if (!HashSet.#put(this.#slots, h)) return false;
    if (++this.#size * 2 > this.#slots.length) {
      const grown = new Int32Array(this.#slots.length * 2);
      for (const x of this.#slots) if (x !== 0) HashSet.#put(grown, x);
      this.#slots = grown;
    }
    return true;
  }

  static #put(slots: Int32Array, h: number): boolean {
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const x = slots[i] as number;
      if (x === h) return false;
      if (x === 0) {
        slots[i] = h;
        return true;
      }
    }
  }
}
