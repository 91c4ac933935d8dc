import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvSourceConfigSchema, pulledColumns, readCsvColumn } from "../../../connectors/csv/index.js";

const CONFIG = CsvSourceConfigSchema.parse({
  type: "csv",
  file: "leerlingen.csv",
  columns: { id: "Leerlingnummer", givenName: "Roepnaam" },
  ext: { klas: "Groep" },
});
const WHERE = "overstap.yaml:9: eckid.pgn.column";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "overstap-csv-column-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function column(text: string, name = "BSN"): Promise<Map<string, string>> {
  await writeFile(path.join(dir, "leerlingen.csv"), text);
  return readCsvColumn(CONFIG, { path: "sources.las", baseDir: dir }, { column: name, columnAt: WHERE });
}

describe("readCsvColumn: one column of a CSV source, outside a pull", () => {
  it("maps each id to its value as in the file, leaving out empty cells, bad rows and repeated ids", async () => {
    const text = 'Leerlingnummer;Roepnaam;bsn\n1;An; 123456782\n2;Bo;\n3;"Cy\n1;Di;999999990\n4;Ed;1;extra\n';
    expect([...(await column(text))]).toEqual([["1", " 123456782"]]);
  });

  it("names the column and where it is configured, and never shows a value", async () => {
    const err = await column("Leerlingnummer;Roepnaam\n1;123456782\n").catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "CONFIG_INVALID" });
    expect(String((err as Error).message)).toContain(`${WHERE}: column "BSN" is not in the header`);
    expect(JSON.stringify(err)).not.toContain("123456782");
  });

  it("lists the columns the source pulls, so a column kept out of the store can be checked against them", () => {
    expect(pulledColumns(CONFIG)).toEqual([
      ["columns.id", "Leerlingnummer"],
      ["columns.givenName", "Roepnaam"],
      ["ext.klas", "Groep"],
    ]);
  });
});
