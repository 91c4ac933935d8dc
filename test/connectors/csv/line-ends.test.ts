/**
 * Issue 14, scope 6: CR-only line ends (old Mac "CSV (Macintosh)" exports) are lines, and a
 * header that does not match never prints the data rows after it.
 */
import { describe, expect, it } from "vitest";
import { indexColumns } from "../../../connectors/csv/header.js";
import { decodeLines } from "../../../connectors/csv/lines.js";

async function lines(chunks: string[]): Promise<string[]> {
  async function* bytes() {
    for (const c of chunks) yield Buffer.from(c, "utf8");
  }
  const out: string[] = [];
  for await (const l of decodeLines(bytes(), "utf-8", "x.csv")) out.push(l.text);
  return out;
}

describe("CSV line ends", () => {
  it("reads LF, CRLF and CR-only files alike, also when a CRLF is split between chunks", async () => {
    const want = ["a;b", "1;2", "3;4"];
    expect(await lines(["a;b\n1;2\n3;4\n"])).toEqual(want);
    expect(await lines(["a;b\r\n1;2\r\n3;4\r\n"])).toEqual(want);
    expect(await lines(["a;b\r1;2\r3;4\r"])).toEqual(want);
    expect(await lines(["a;b\r", "\n1;2\r", "3;4"])).toEqual(want);
  });

  it("names a missing column with the header only, cut short, never a record's value", () => {
    const header = ["Numer", "Voornaam", ...Array.from({ length: 60 }, (_, i) => `Kolom${i}`), "Geheimnaam"];
    let message = "";
    try {
      indexColumns(
        header,
        { columns: { id: "Nummer" }, ext: {}, delimiter: ";" } as never,
        "sources.las",
        "l.csv",
      );
    } catch (err) {
      message = `${(err as Error).message}\n${(err as { hint?: string }).hint}`;
    }
    expect(message).toContain('column "Nummer" is not in the header');
    expect(message).toContain("(cut)");
    expect(message).not.toContain("Geheimnaam");
  });
});
