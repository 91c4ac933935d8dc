import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import csv from "../../../connectors/csv/index.js";
import { isOverstapError, type OverstapError } from "../../../src/errors.js";
import type { SourceEvent } from "../../../src/model/connector.js";
import type { Person } from "../../../src/model/person.js";
import { contextFor } from "../ldif/context.js";

const HEADER = "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;E-mail;BRIN;Groep;Actief;Rol;BSN";
const BASE_CONFIG = {
  type: "csv",
  file: "leerlingen.csv",
  columns: {
    id: "Leerlingnummer",
    givenName: "Roepnaam",
    tussenvoegsel: "Tussenvoegsel",
    surname: "Achternaam",
    mail: "E-mail",
    brin: "BRIN",
    enabled: "Actief",
    roles: "Rol",
  },
  ext: { groep: "Groep" },
  constants: { roles: ["student"] },
  groups: { column: "Groep", kind: "class", prefix: "klas-" },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "overstap-csv-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(
  content: string | Buffer,
  overrides: Record<string, unknown> = {},
): Promise<SourceEvent[]> {
  await writeFile(path.join(dir, "leerlingen.csv"), content);
  const { ctx, config } = contextFor(
    stringify({ sources: { las: { ...BASE_CONFIG, ...overrides } } }),
    "las",
    dir,
  );
  const source = await csv.source?.(config, ctx);
  if (!source) throw new Error("csv has no source");
  const events: SourceEvent[] = [];
  for await (const e of source.read({})) events.push(e);
  return events;
}

const persons = (events: SourceEvent[]): Person[] =>
  events.flatMap((e) => (e.type === "person" ? [e.person] : []));
const invalid = (events: SourceEvent[]) => events.flatMap((e) => (e.type === "invalid" ? [e] : []));

const good = (id: string) => `${id};Piet;van der;Puk;piet${id}@school.nl;11ZZ;3A;ja;;123456782`;

describe("CSV source: good files", () => {
  it("reads a Dutch Excel export: BOM, CRLF, ';', quotes, constants, ext and class groups", async () => {
    const text = `\ufeff${HEADER}\r\n1001;Zoë;;"Çelik; ""Z"" ";zoe@school.nl;11ZZ;3A;Ja;leerling|mentor;123456782\r\n\r\n1002;Daan;van;Dijk;;11ZZ;3A;nee;;"999\r\n999"\r\n1003;Nguyễn;;Ødegård;;11ZZ01;;1;;\r\n`;
    const events = await read(text);
    expect(events[0]).toEqual({ type: "reset" });
    expect(events.at(-1)).toEqual({ type: "checkpoint", checkpoint: { rows: 3 }, done: true });
    expect(invalid(events)).toEqual([]);
    const [zoe, daan, nguyen] = persons(events);
    expect(zoe).toEqual({
      source: "las",
      id: "1001",
      givenName: "Zoë",
      surname: 'Çelik; "Z"',
      mail: "zoe@school.nl",
      brin: "11ZZ",
      enabled: true,
      roles: ["leerling", "mentor"],
      groups: ["klas-3A"],
      ext: { groep: "3A" },
    });
    expect(daan).toMatchObject({ id: "1002", tussenvoegsel: "van", enabled: false, roles: ["student"] });
    expect(nguyen).toMatchObject({
      id: "1003",
      givenName: "Nguyễn",
      surname: "Ødegård",
      groups: [],
      ext: {},
    });
    const groups = events.flatMap((e) => (e.type === "group" ? [e.group] : []));
    expect(groups).toEqual([
      {
        source: "las",
        id: "klas-3A",
        name: "klas-3A",
        displayName: "3A",
        kind: "class",
        brin: "11ZZ",
        members: ["1001", "1002"],
        owners: [],
        ext: {},
      },
    ]);
    expect(JSON.stringify(events)).not.toContain("123456782");
  });

  it("reads Windows-1252 when configured, and detects ',' and tab delimiters", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\n1;`),
      Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x80]),
      Buffer.from(";;Puk;;;;;;\n"),
    ]);
    expect(persons(await read(bytes, { encoding: "windows-1252" }))[0]?.givenName).toBe("René€");
    for (const d of [",", "\t"]) {
      const events = await read(`${HEADER.replaceAll(";", d)}\n${good("7").replaceAll(";", d)}\n`);
      expect(persons(events).map((p) => p.surname)).toEqual(["Puk"]);
    }
  });

  it("emits a checkpoint every 5,000 rows", async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => good(String(i + 1)));
    const events = await read(`${HEADER}\n${rows.join("\n")}\n`);
    expect(events.filter((e) => e.type === "checkpoint")).toEqual([
      { type: "checkpoint", checkpoint: { rows: 5000 } },
      { type: "checkpoint", checkpoint: { rows: 10_000 } },
      { type: "checkpoint", checkpoint: { rows: 12_000 }, done: true },
    ]);
    expect(persons(events)).toHaveLength(12_000);
  });

  it("takes a row for a duplicate when an unreadable row before it has the same id", async () => {
    const events = await read(`${HEADER}\n${good("1").replace("Piet", "Pi\u0001et")}\n${good("1")}\n`);
    expect(persons(events)).toEqual([]);
    expect(invalid(events).map((e) => [e.record, e.reason])).toEqual([
      [expect.stringMatching(/:2$/), expect.stringContaining("U+0001")],
      [expect.stringMatching(/:3$/), expect.stringContaining("as line 2")],
    ]);
  });

  it("ignores bad bytes in columns it does not read", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\n${good("1").replace(/123456782$/, "")}`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from("\n"),
    ]);
    const events = await read(bytes);
    expect(invalid(events)).toEqual([]);
    expect(persons(events)).toHaveLength(1);
  });
});

const utf8Bad = (bytes: number[]) =>
  Buffer.concat([Buffer.from("3;Pi"), Buffer.from(bytes), Buffer.from("et;;Puk;;11ZZ;3A;ja;;")]);

/** Bad rows: each sits on line 3 between two good rows; [name, row, expected field, words in the reason]. */
const BAD_ROWS: Array<[string, string | Buffer, string | undefined, string]> = [
  ["too few fields", "3;Piet;;Puk", undefined, "expected 10 fields"],
  ["too many fields", `${good("3")};extra`, undefined, "found 11"],
  ["an empty id", ";Piet;;Puk;;11ZZ;3A;ja;;", "Leerlingnummer", "empty id"],
  ["an id of spaces", "   ;Piet;;Puk;;11ZZ;3A;ja;;", "Leerlingnummer", "empty id"],
  ["a row of delimiters only", ";;;;;;;;;", "Leerlingnummer", "empty id"],
  ["a duplicate id", good("1"), "Leerlingnummer", "as line 2"],
  ["a duplicate id with spaces around it", good(" 1 "), "Leerlingnummer", "as line 2"],
  ["a lone continuation byte", utf8Bad([0x80]), "Roepnaam", "invalid UTF-8"],
  ["a Latin-1 é in a UTF-8 file", utf8Bad([0xe9]), "Roepnaam", "windows-1252"],
  ["a truncated multi-byte sequence", utf8Bad([0xe1, 0xbb]), "Roepnaam", "invalid UTF-8"],
  ["an overlong encoding", utf8Bad([0xc0, 0xaf]), "Roepnaam", "invalid UTF-8"],
  ["an encoded surrogate", utf8Bad([0xed, 0xa0, 0x80]), "Roepnaam", "invalid UTF-8"],
  ["a code point above U+10FFFF", utf8Bad([0xf4, 0x90, 0x80, 0x80]), "Roepnaam", "invalid UTF-8"],
  ["a literal U+FFFD", "3;Pi\ufffdet;;Puk;;11ZZ;3A;ja;;", "Roepnaam", "U+FFFD"],
  [
    "invalid UTF-8 in an ext column",
    Buffer.concat([Buffer.from("3;Piet;;Puk;;11ZZ;3"), Buffer.from([0xff]), Buffer.from(";ja;;")]),
    "Groep",
    "invalid UTF-8",
  ],
  ["a NUL character", "3;Pi\0et;;Puk;;11ZZ;3A;ja;;", "Roepnaam", "U+0000"],
  ["a tab in a name", "3;Piet;;Puk\tJansen;;11ZZ;3A;ja;;", "Achternaam", "U+0009"],
  ["a bell character", "3;Piet\u0007;;Puk;;11ZZ;3A;ja;;", "Roepnaam", "U+0007"],
  ["a DEL character", "3;Piet;;Puk;\u007f;11ZZ;3A;ja;;", "E-mail", "U+007F"],
  ["a C1 control (NEL)", "3;Piet;;Puk;;11ZZ;3A;ja;x\u0085;", "Rol", "U+0085"],
  ["an escape character in the group column", "3;Piet;;Puk;;11ZZ;\u001b[31m;ja;;", "Groep", "U+001B"],
  ["a line break inside a quoted name", '3;Piet;;"Puk\nJansen";;11ZZ;3A;ja;;', "Achternaam", "U+000A"],
  // A lone CR ends a line (CR-only "CSV (Macintosh)" exports), so inside quotes it is a line break.
  ["a carriage return inside a quoted name", '3;Piet;;"Puk\rJansen";;11ZZ;3A;ja;;', "Achternaam", "U+000A"],
  ["text after a closing quote", '3;"Piet"x;;Puk;;11ZZ;3A;ja;;', "field 2", "after the closing quote"],
  ["a stray quote inside an unquoted field", '3;Pi"et;;Puk;;11ZZ;3A;ja;;', undefined, "unterminated quote"],
  ["a quote opened and never closed", '3;"Piet;;Puk;;11ZZ;3A;ja;;', undefined, "unterminated quote"],
  ["an enabled flag that is not a boolean", "3;Piet;;Puk;;11ZZ;3A;misschien;;", "Actief", "true/false"],
  [
    "a quoted multi-line record with too few fields",
    '3;Piet;;"Puk";;"11\n\nZZ"',
    undefined,
    "expected 10 fields",
  ],
  [
    "two quoted fields run together",
    '3;"Piet""";;Puk;;11ZZ;3A;ja;;"x"y',
    "field 10",
    "after the closing quote",
  ],
  ["a vertical tab in the mail column", "3;Piet;;Puk;p\u000b@x.nl;11ZZ;3A;ja;;", "E-mail", "U+000B"],
];

describe("CSV source: bad rows become invalid events naming line and column", () => {
  it.each(BAD_ROWS)("%s", async (_name, row, field, words) => {
    const content = Buffer.concat([
      Buffer.from(`${HEADER}\n${good("1")}\n`),
      Buffer.from(row),
      Buffer.from(`\n${good("4")}\n`),
    ]);
    const events = await read(content);
    const bad = invalid(events);
    expect(bad).toHaveLength(1);
    expect(bad[0]?.record).toBe("leerlingen.csv:3");
    expect(bad[0]?.field).toBe(field);
    expect(bad[0]?.reason).toContain(words);
    expect(persons(events).map((p) => p.id)).toEqual(["1", "4"]);
    expect(events.at(-1)).toMatchObject({ type: "checkpoint", done: true });
  });

  it("counts 30 kinds of bad rows", () => {
    expect(new Set(BAD_ROWS.map((r) => r[0])).size).toBe(30);
  });

  it("reads Windows-1252's undefined bytes as control characters, not silently", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\n3;Pi`),
      Buffer.from([0x81]),
      Buffer.from("et;;Puk;;11ZZ;3A;ja;;\n"),
    ]);
    const bad = invalid(await read(bytes, { encoding: "windows-1252" }));
    expect(bad).toEqual([
      {
        type: "invalid",
        record: "leerlingen.csv:2",
        id: "3",
        field: "Roepnaam",
        reason: 'control character U+0081 in column "Roepnaam"',
      },
    ]);
  });

  it("reports a quote that swallows more than 100 lines at its line and reads the lines after it", async () => {
    const rows = Array.from({ length: 150 }, (_, i) => good(String(i + 10)));
    const events = await read(`${HEADER}\n3;"Piet;;Puk;;11ZZ;3A;ja;;\n${rows.join("\n")}\n`);
    expect(invalid(events).map((e) => e.record)).toEqual(["leerlingen.csv:2"]);
    expect(persons(events)).toHaveLength(150);
  });

  it("reports a line longer than 1 MiB without keeping it", async () => {
    const events = await read(`${HEADER}\n${good("1")}\n3;${"x".repeat(1_100_000)}\n${good("4")}\n`);
    expect(invalid(events)).toMatchObject([
      { record: "leerlingen.csv:3", reason: "the line is longer than 1 MiB" },
    ]);
    expect(persons(events).map((p) => p.id)).toEqual(["1", "4"]);
  });
});

describe("CSV source: file and configuration errors", () => {
  async function failure(
    content: string | Buffer,
    overrides: Record<string, unknown> = {},
  ): Promise<OverstapError> {
    const err = await read(content, overrides).catch((e: unknown) => e);
    if (!isOverstapError(err)) throw new Error(`expected an OverstapError, got ${String(err)}`);
    return err;
  }

  it("names a configured column the header lacks (a config error, not a row error)", async () => {
    const err = await failure(`${HEADER.replace("Achternaam", "Naam")}\n${good("1")}\n`);
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.message).toContain('sources.las.columns.surname: column "Achternaam" is not in the header');
    expect(err.hint).toContain('"Naam"');
  });

  it("matches header names case-insensitively but refuses an ambiguous one", async () => {
    expect(persons(await read(`${HEADER.replace("Achternaam", "ACHTERNAAM")}\n${good("1")}\n`))).toHaveLength(
      1,
    );
    const err = await failure(`${HEADER.replace("BSN", "Achternaam")}\n${good("1")}\n`);
    expect(err.message).toContain("appears 2 times");
  });

  it("refuses an undecidable delimiter, a UTF-16 file, an empty file and a missing file", async () => {
    expect((await failure("a;b,c;d,e\n")).message).toContain("sources.las.delimiter");
    expect((await failure(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).message).toContain("UTF-16");
    expect((await failure("\n\n")).message).toContain("empty");
    expect((await failure("", { file: "nope.csv" })).code).toBe("SOURCE_UNREACHABLE");
  });

  it("validates the configuration with the line of the offending key", async () => {
    const yaml =
      "sources:\n  las:\n    type: csv\n    file: x.csv\n    columns:\n      surname: Achternaam\n    encoding: latin9\n";
    const { ctx, config } = contextFor(yaml, "las", dir);
    const err = await csv.source?.(config, ctx).catch((e: unknown) => e);
    expect((err as OverstapError).code).toBe("CONFIG_INVALID");
    expect((err as OverstapError).message).toMatch(/overstap\.yaml:5: sources\.las\.columns\.id/);
    expect((err as OverstapError).message).toMatch(/overstap\.yaml:7: sources\.las\.encoding/);
  });
});
