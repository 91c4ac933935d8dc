/**
 * The LDIF target's content file, read back by position: in file order through its read-ahead
 * window, out of order or scattered one entry at a time, entries larger than the window too.
 */
import { describe, expect, it } from "vitest";
import { contentFileOf } from "../../support/content-file.js";
import { seededRandom } from "../../support/prng.js";

describe("ContentFile", () => {
  it("gives back every range of the file, in any order and of any size", () => {
    const rand = seededRandom(3);
    const pieces: string[] = [];
    for (let i = 0; i < 6000; i++)
      pieces.push(`dn: cn=Zoë ${i}\n${"x".repeat(Math.floor(rand() * 900))}\n\n`);
    pieces.splice(3000, 0, `dn: cn=big\n${"ÿ".repeat(1_500_000)}\n\n`);
    const text = pieces.join("");
    const bytes = Buffer.from(text);
    const ranges: [number, number][] = [];
    let at = 0;
    for (const p of pieces) {
      const n = Buffer.byteLength(p);
      ranges.push([at, n]);
      at += n;
    }
    const content = contentFileOf(bytes);
    const shuffled = [...ranges].sort(() => rand() - 0.5);
    const sparse = ranges.filter((_, i) => i % 10 === 0);
    for (const order of [ranges, shuffled, [...ranges].reverse(), sparse, ranges]) {
      for (const [offset, n] of order)
        expect(content.text(offset, n)).toBe(bytes.toString("utf8", offset, offset + n));
    }
  });
});
