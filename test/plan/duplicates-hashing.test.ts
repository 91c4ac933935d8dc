/**
 * markDuplicates finds shared values through 32-bit hashes first and confirms them by exact
 * value: values that only share a hash are not duplicates, values equal in lower case are, also
 * beyond ASCII.
 */
import { describe, expect, it } from "vitest";
import type { ReviewItem } from "../../src/model/review.js";
import { markDuplicates } from "../../src/plan/duplicates.js";
import { AttributeColumns, MappedPerson } from "../../src/plan/mapped-person.js";
import { valueHash } from "../../src/plan/perf/value-hash.js";
import { TargetIndex } from "../../src/plan/target-index.js";
import { hashCollision as collision } from "../support/hash-collision.js";
import { readOnlyTarget } from "../support/read-only-target.js";

async function duplicatesOf(mails: string[]): Promise<ReviewItem[]> {
  const columns = new AttributeColumns(["mail"]);
  const mapped = mails.map((mail, row) => {
    columns.record(row, { mail: [mail] });
    const key = `uid=p${row},dc=nl`;
    return new MappedPerson({
      ref: `las:${row}`,
      key,
      norm: key,
      anchor: `a${row}`,
      enabled: true,
      selected: true,
      row,
    });
  });
  const review: ReviewItem[] = [];
  markDuplicates(mapped, columns, review, ["mail"], await TargetIndex.read(readOnlyTarget([]), "a"));
  return review;
}

describe("markDuplicates by hash", () => {
  it("does not take values that only share a hash for duplicates", async () => {
    const [a, b] = collision();
    expect(a).not.toBe(b);
    expect(valueHash(a, true)).toBe(valueHash(b, true));
    expect(await duplicatesOf([a, b, "other@x.nl"])).toEqual([]);
  });

  it.each([
    ["ASCII case", "Eva@School.nl", "eva@school.nl"],
    ["accented case", "ÉVA@school.nl", "éva@school.nl"],
    ["a Kelvin sign", "\u212Aim@school.nl", "kim@school.nl"],
  ])("finds values equal in lower case (%s)", async (_name, a, b) => {
    const review = await duplicatesOf([a, "x@school.nl", b]);
    expect(review.map((r) => [r.record, r.rule, r.field])).toEqual([
      ["las:0", "duplicate", "mail"],
      ["las:2", "duplicate", "mail"],
    ]);
  });
});
