/**
 * A project on disk for bad-input tests: a LAS export (CSV, `leerlingen`) and a JSON Lines
 * source (`extra`) next to each other, a demo-like mapping (a source login, when there is one,
 * becomes the uid and the ePPN), the Entree profile and an empty LDIF directory. Test cases add
 * records; the builder writes the files and remembers each record's line, id and reference.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { YAMLMap } from "yaml";
import { demoMappingFor } from "../support/demo-mapping.js";

export const CSV_FILE = "leerlingen.csv";
export const JSON_FILE = "people.jsonl";
export const CSV_COLUMNS = [
  "Leerlingnummer",
  "Roepnaam",
  "Tussenvoegsel",
  "Achternaam",
  "BRIN",
  "Vestiging",
  "E-mail",
  "Gebruikersnaam",
  "Actief",
  "Rol",
  "Groep",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const CONFIG = `institution: { name: Stichting Voorbeeld, realm: voorbeeld, schacHomeOrganization: voorbeeld.nl }
profile: entree
sources:
  leerlingen:
    type: csv
    file: ${CSV_FILE}
    delimiter: ";"
    columns: { id: Leerlingnummer, number: Leerlingnummer, givenName: Roepnaam, tussenvoegsel: Tussenvoegsel, surname: Achternaam, brin: BRIN, vestiging: Vestiging, mail: E-mail, login: Gebruikersnaam, enabled: Actief, roles: Rol }
    constants: { roles: [leerling] }
    groups: { column: Groep, kind: class }
  extra: { type: json, file: ${JSON_FILE} }
target: { type: ldif, file: directory.ldif }
mapping: mapping.yaml
stages:
  - { name: bestuur, select: { all: true } }
safety:
  person: { maxDisables: { count: 10, percent: 100 } }
state: { sqlite: state.db }
`;

/**
 * The demo's mapping, but a source login, when there is one, becomes the uid and the ePPN; no
 * displayName; a school outside the lookup is named after the institution.
 */
const MAPPING = demoMappingFor("dc=voorbeeld,dc=nl", (mapping) => {
  const attributes = mapping.getIn(["person", "attributes"]) as YAMLMap;
  const generated = attributes.get("uid");
  attributes.set("uid", [
    { value: "{{ login }}@{{ vars.realm }}", when: "login" },
    { value: generated, when: "not login" },
  ]);
  attributes.set("eduPersonPrincipalName", { value: "{{ login | lower }}@voorbeeld.nl", when: "login" });
  attributes.delete("displayName");
  attributes.set(
    "nlEduPersonHomeOrganization",
    "{{ brin | lookup 'schoolName' | default vars.institution }}",
  );
});

const DIRECTORY = `version: 1

dn: dc=voorbeeld,dc=nl
objectClass: dcObject
objectClass: organization
dc: voorbeeld
o: Stichting Voorbeeld

dn: ou=people,dc=voorbeeld,dc=nl
objectClass: organizationalUnit
ou: people

dn: ou=groups,dc=voorbeeld,dc=nl
objectClass: organizationalUnit
ou: groups
`;

/** A record to add: CSV cells by column, JSON fields, or the raw line (text or bytes). */
export type RecordSpec =
  | { source: "csv"; cells?: Partial<Record<CsvColumn, string>>; raw?: string | Buffer }
  | { source: "json"; fields?: Record<string, unknown>; raw?: string | Buffer };

/** Where a record ended up: its line, its id (if any) and the names the review list may use. */
export interface Placed {
  source: "csv" | "json";
  line: number;
  id: string | undefined;
  /** `leerlingen:ID` / `extra:ID`. */
  ref: string | undefined;
  /** `leerlingen.csv:LINE` / `people.jsonl:LINE (#N)`. */
  at: string;
}

const SOURCE_NAME = { csv: "leerlingen", json: "extra" } as const;

function csvCell(value: string): string {
  return /[;"\n\r]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Collects records for the two sources and writes the project. */
export class BadInputWorld {
  readonly #csv: Buffer[] = [Buffer.from(`${CSV_COLUMNS.join(";")}\n`)];
  readonly #json: Buffer[] = [];
  readonly #entries: string[] = [];

  /** Adds an entry to the directory (e.g. a person migrated earlier). */
  addEntry(dn: string, attrs: Record<string, string[]>): void {
    const lines = [
      `dn: ${dn}`,
      ...Object.entries(attrs).flatMap(([name, values]) => values.map((v) => `${name}: ${v}`)),
    ];
    this.#entries.push(`${lines.join("\n")}\n`);
  }

  /**
   * Adds a record. `id` fills the id column/field unless the spec sets it (an explicit `""` or
   * `undefined` is kept, for records without an id); defaults make the rest a valid pupil (CSV)
   * or teacher (JSON).
   */
  add(spec: RecordSpec, id: string): Placed {
    if (spec.source === "csv") {
      const line = this.#csv.length + 1;
      if (spec.raw !== undefined) {
        this.#csv.push(Buffer.concat([Buffer.from(spec.raw), Buffer.from("\n")]));
      } else {
        const cells: Record<CsvColumn, string> = {
          Leerlingnummer: id,
          Roepnaam: "Daan",
          Tussenvoegsel: "",
          Achternaam: "Jansen",
          BRIN: "11ZZ",
          Vestiging: "00",
          "E-mail": "",
          Gebruikersnaam: "",
          Actief: "ja",
          Rol: "",
          Groep: "5A",
          ...spec.cells,
        };
        this.#csv.push(Buffer.from(`${CSV_COLUMNS.map((c) => csvCell(cells[c])).join(";")}\n`));
      }
      const recordId =
        spec.raw === undefined
          ? spec.cells && "Leerlingnummer" in spec.cells
            ? spec.cells.Leerlingnummer
            : id
          : id;
      return this.#placed("csv", line, recordId || undefined, `${CSV_FILE}:${line}`);
    }
    const line = this.#json.length + 1;
    let text: string | Buffer;
    let recordId: string | undefined;
    if (spec.raw !== undefined) {
      text = spec.raw;
      recordId = id;
    } else {
      const fields: Record<string, unknown> = {
        kind: "person",
        id,
        givenName: "Fatima",
        surname: "Bennani",
        roles: ["leerkracht"],
        brin: "20DP",
        vestiging: "01",
        number: id,
        ...spec.fields,
      };
      text = JSON.stringify(fields);
      recordId = typeof fields.id === "string" && fields.id !== "" ? fields.id : undefined;
    }
    this.#json.push(Buffer.concat([Buffer.from(text), Buffer.from("\n")]));
    return this.#placed("json", line, recordId, `${JSON_FILE}:${line} (#${line})`);
  }

  #placed(source: "csv" | "json", line: number, id: string | undefined, at: string): Placed {
    return { source, line, id, ref: id === undefined ? undefined : `${SOURCE_NAME[source]}:${id}`, at };
  }

  /** Writes overstap.yaml, the mapping, both sources and the directory into `dir` (mode 0600). */
  write(dir: string): void {
    const files: Record<string, string | Buffer> = {
      "overstap.yaml": CONFIG,
      "mapping.yaml": MAPPING,
      "directory.ldif": [DIRECTORY, ...this.#entries].join("\n"),
      [CSV_FILE]: Buffer.concat(this.#csv),
      [JSON_FILE]: Buffer.concat(this.#json),
    };
    for (const [name, content] of Object.entries(files))
      writeFileSync(path.join(dir, name), content, { mode: 0o600 });
  }
}
