/**
 * The kinds of bad input records the bad-input test feeds through pull → plan, one case each.
 * Every case says which of its records must be reviewed, under which name (`source:id` or
 * `file:line`) and field; everything else about a case (a valid neighbour, the checks) is the
 * test's.
 */
import type { RecordSpec } from "./bad-input-world.js";

/** A record of a case, with what the review must say about it. */
export type CaseRecord = RecordSpec & {
  /**
   * The field the review item must name (any of a list), or null for a record that is broken as
   * a whole (e.g. a CSV line with a field too many). Absent: a context record without expectations.
   */
  field?: string | string[] | null;
  /** How the record is named: `ref` (`source:id`, the default when it has a source id) or `line`. */
  by?: "ref" | "line";
  /** A value that only this record carries, so no operation may contain it (default: its id). */
  marker?: string;
};

/** One kind of bad input. `records(id)` gets a function that gives the n-th record its id. */
export interface BadInputCase {
  kind: string;
  records: (id: (n: number) => string) => CaseRecord[];
  /**
   * `error` (default): left out of the operations. `warning`: reported, but planned, because that
   * is what the profile or the model says for this kind.
   */
  severity?: "error" | "warning";
  /** The spine does not yet do what this case expects: the bug, for `it.fails`. */
  bug?: string;
}

const csv = (
  cells: Extract<RecordSpec, { source: "csv" }>["cells"],
  expect: Omit<CaseRecord, "source">,
): CaseRecord => ({ source: "csv", cells, ...expect });
const json = (fields: Record<string, unknown>, expect: Omit<CaseRecord, "source">): CaseRecord => ({
  source: "json",
  fields,
  ...expect,
});
const uid = { field: ["uid"] };

export const BAD_INPUT_CASES: BadInputCase[] = [
  // Missing and empty values.
  {
    kind: "CSV: empty id",
    records: () => [
      csv(
        { Leerlingnummer: "", Achternaam: "Zonderid" },
        { field: "Leerlingnummer", by: "line", marker: "Zonderid" },
      ),
    ],
  },
  {
    kind: "CSV: missing surname (required by the mapping)",
    records: () => [csv({ Achternaam: "" }, { field: "sn" })],
  },
  { kind: "CSV: surname only spaces", records: () => [csv({ Achternaam: "   " }, { field: "sn" })] },
  { kind: "CSV: missing given name", records: () => [csv({ Roepnaam: "" }, { field: "givenName" })] },
  {
    kind: "JSON: missing id",
    records: () => [
      json({ id: undefined, surname: "Idloos" }, { field: "id", by: "line", marker: "Idloos" }),
    ],
  },
  {
    kind: "JSON: empty id",
    records: () => [json({ id: "", surname: "Leegid" }, { field: "id", by: "line", marker: "Leegid" })],
  },
  { kind: "JSON: missing surname", records: () => [json({ surname: undefined }, { field: "sn" })] },
  { kind: "JSON: empty surname", records: () => [json({ surname: "" }, { field: "sn" })] },
  // Overlong values.
  {
    kind: "CSV: surname of 300 characters",
    records: () => [csv({ Achternaam: "A".repeat(300) }, { field: "surname" })],
  },
  {
    kind: "JSON: given name of 257 characters",
    records: () => [json({ givenName: "B".repeat(257) }, { field: "givenName" })],
  },
  {
    kind: "JSON: login of 300 characters",
    records: () => [json({ login: "c".repeat(300) }, { field: ["login", "uid", "eduPersonPrincipalName"] })],
  },
  // Control characters, bidi overrides, broken encodings.
  {
    kind: "CSV: NUL in a name",
    records: () => [csv({ Achternaam: "Jan\u0000sen" }, { field: "Achternaam", by: "line" })],
  },
  {
    kind: "CSV: ESC in a name",
    records: () => [csv({ Roepnaam: "Da\u001b[31man" }, { field: "Roepnaam", by: "line" })],
  },
  {
    kind: "CSV: DEL in a name",
    records: () => [csv({ Achternaam: "Jansen\u007f" }, { field: "Achternaam", by: "line" })],
  },
  {
    kind: "CSV: C1 control (NEL) in a name",
    records: () => [csv({ Tussenvoegsel: "van\u0085der" }, { field: "Tussenvoegsel", by: "line" })],
  },
  {
    kind: "CSV: invalid UTF-8",
    records: (id) => [
      {
        source: "csv",
        raw: Buffer.concat([
          Buffer.from(`${id(0)};Daan;;Jans`),
          Buffer.from([0xc3, 0x28]),
          Buffer.from("n;11ZZ;00;;;ja;;5A"),
        ]),
        field: "Achternaam",
        by: "line",
      },
    ],
  },
  {
    kind: "CSV: bidi override (U+202E) in a name",
    records: () => [csv({ Achternaam: "Jan\u202esen" }, { field: "surname" })],
  },
  { kind: "JSON: ESC in a name", records: () => [json({ surname: "Ben\u001bnani" }, { field: "surname" })] },
  {
    kind: "JSON: DEL in a name",
    records: () => [json({ givenName: "Fati\u007fma" }, { field: "givenName" })],
  },
  {
    kind: "JSON: C1 control (CSI) in the tussenvoegsel",
    records: () => [json({ tussenvoegsel: "van\u009b" }, { field: "tussenvoegsel" })],
  },
  {
    kind: "JSON: bidi isolate (U+2066) in the mail address",
    records: () => [json({ mail: "f.bennani@voorbeeld.nl\u2066" }, { field: "mail" })],
  },
  {
    kind: "JSON: lone high surrogate",
    records: () => [json({ surname: "Ben\ud800nani" }, { field: "surname" })],
  },
  {
    kind: "JSON: lone low surrogate",
    records: () => [json({ givenName: "\udc00Fatima" }, { field: "givenName" })],
  },
  {
    kind: "JSON: control character in an extension attribute",
    records: () => [json({ ext: { kamer: "B\u00071.04" } }, { field: "ext.kamer" })],
  },
  // DN and LDIF special characters, # and spaces where the value becomes the uid and the RDN.
  { kind: "CSV: ',' in the login", records: () => [csv({ Gebruikersnaam: "jan,sen" }, uid)] },
  { kind: "CSV: '+' in the login", records: () => [csv({ Gebruikersnaam: "jan+sen" }, uid)] },
  { kind: "JSON: '\"' in the login", records: () => [json({ login: 'fa"tima' }, uid)] },
  { kind: "JSON: '\\' in the login", records: () => [json({ login: "fa\\tima" }, uid)] },
  { kind: "CSV: '<' in the login", records: () => [csv({ Gebruikersnaam: "<jansen" }, uid)] },
  { kind: "CSV: '>' in the login", records: () => [csv({ Gebruikersnaam: "jansen>" }, uid)] },
  { kind: "CSV: ';' in the login (quoted cell)", records: () => [csv({ Gebruikersnaam: "jan;sen" }, uid)] },
  { kind: "JSON: '=' in the login", records: () => [json({ login: "uid=fatima" }, uid)] },
  { kind: "CSV: leading '#' in the login", records: () => [csv({ Gebruikersnaam: "#jansen" }, uid)] },
  { kind: "JSON: leading space in the login", records: () => [json({ login: " fatima" }, uid)] },
  { kind: "JSON: trailing space in the login", records: () => [json({ login: "fatima " }, uid)] },
  // Duplicates.
  {
    kind: "CSV: duplicate id (the second row)",
    records: (id) => [
      csv({ Leerlingnummer: id(0), Achternaam: "Eerste" }, {}),
      csv(
        { Leerlingnummer: id(0), Achternaam: "Tweede" },
        { field: "Leerlingnummer", by: "line", marker: "Tweede" },
      ),
    ],
  },
  {
    kind: "CSV: duplicate id after an unreadable row with that id",
    records: (id) => [
      csv({ Leerlingnummer: id(0), Roepnaam: "On\u0001leesbaar" }, { field: "Roepnaam", by: "line" }),
      csv(
        { Leerlingnummer: id(0), Achternaam: "Leesbaar" },
        { field: "Leerlingnummer", by: "line", marker: "Leesbaar" },
      ),
    ],
  },
  {
    kind: "JSON: duplicate id after an unreadable record with that id",
    records: (id) => [
      json({ id: id(0), enabled: "misschien" }, { field: "enabled", by: "line" }),
      json({ id: id(0), surname: "Leesbare" }, { field: "id", by: "line", marker: "Leesbare" }),
    ],
  },
  {
    kind: "JSON: duplicate id (the second record)",
    records: (id) => [
      json({ id: id(0), surname: "Eerste" }, {}),
      json({ id: id(0), surname: "Tweede" }, { field: "id", by: "line", marker: "Tweede" }),
    ],
  },
  {
    kind: "duplicate login (uid/ePPN) of two persons",
    records: () => [
      json({ login: "f.bennani" }, { field: ["uid", "eduPersonPrincipalName"] }),
      csv({ Gebruikersnaam: "F.Bennani" }, { field: ["uid", "eduPersonPrincipalName"] }),
    ],
  },
  {
    kind: "duplicate mail address of two persons",
    records: () => [
      csv({ "E-mail": "info@voorbeeld.nl" }, { field: "mail" }),
      json({ mail: "Info@Voorbeeld.nl" }, { field: "mail" }),
    ],
  },
  // Values outside the vocabulary or the format.
  {
    kind: "CSV: unknown role (the affiliation lookup gives nothing)",
    records: () => [csv({ Rol: "stagiair" }, { field: "eduPersonAffiliation" })],
  },
  { kind: "JSON: no roles at all", records: () => [json({ roles: [] }, { field: "eduPersonAffiliation" })] },
  {
    kind: "CSV: invalid BRIN",
    records: () => [csv({ BRIN: "20D!" }, { field: ["nlEduPersonHomeOrganizationId", "brin"] })],
  },
  {
    kind: "JSON: lower-case BRIN",
    records: () => [json({ brin: "20dp" }, { field: ["nlEduPersonHomeOrganizationId", "brin"] })],
  },
  {
    kind: "CSV: enabled that is not a yes or no",
    records: () => [csv({ Actief: "misschien" }, { field: "Actief", by: "line" })],
  },
  {
    kind: "JSON: mail without '@' (Entree: a warning)",
    severity: "warning",
    records: () => [json({ mail: "f.bennani.voorbeeld.nl" }, { field: "mail" })],
  },
  // Wrong types and shapes.
  {
    kind: "JSON: number for a name",
    records: () => [json({ givenName: 42 }, { field: "givenName", by: "line" })],
  },
  {
    kind: "JSON: string for enabled",
    records: () => [json({ enabled: "yes" }, { field: "enabled", by: "line" })],
  },
  {
    kind: "JSON: object for roles",
    records: () => [json({ roles: { leerkracht: true } }, { field: "roles", by: "line" })],
  },
  {
    kind: "JSON: number in the roles list",
    records: () => [json({ roles: ["leerkracht", 7] }, { field: "roles.1", by: "line" })],
  },
  {
    kind: "JSON: number for the id",
    records: (id) => [
      json({ id: 4711, surname: "Getal" }, { field: "id", by: "line", marker: "Getal" }),
      json({ id: id(1) }, {}),
    ],
  },
  {
    kind: "JSON: null for the mail address",
    records: () => [json({ mail: null }, { field: "mail", by: "line" })],
  },
  {
    kind: "JSON: unknown field (a BSN must never be imported)",
    records: () => [json({ bsn: "123456782" }, { field: "bsn", by: "line" })],
  },
  {
    kind: "JSON: the source set by the record",
    records: () => [json({ source: "leerlingen" }, { field: "source", by: "line" })],
  },
  {
    kind: "CSV: a field too many",
    records: (id) => [
      { source: "csv", raw: `${id(0)};Daan;;Jansen;11ZZ;00;;;ja;;5A;extra`, field: null, by: "line" },
    ],
  },
  {
    kind: "CSV: a quote inside an unquoted field",
    records: (id) => [
      { source: "csv", raw: `${id(0)};Da"a"n;;Jansen;11ZZ;00;;;ja;;5A`, field: "field 2", by: "line" },
    ],
  },
  {
    kind: "CSV: a quote that never closes (costs only its own row)",
    records: (id) => [
      { source: "csv", raw: `${id(0)};"Daan;;Jansen;11ZZ;00;;;ja;;5A`, field: null, by: "line" },
    ],
  },
  {
    kind: "JSON: a truncated line",
    records: (id) => [
      { source: "json", raw: `{"kind":"person","id":"${id(0)}","givenName":"Fat`, field: null, by: "line" },
    ],
  },
  {
    kind: "JSON: invalid UTF-8",
    bug: "connectors/json/source.ts reports invalid UTF-8 for the whole record (`invalid UTF-8 (or U+FFFD)`) without the field it is in, while the CSV source names the column",
    records: (id) => [
      {
        source: "json",
        raw: Buffer.concat([
          Buffer.from(`{"kind":"person","id":"${id(0)}","givenName":"Fatima","surname":"Ben`),
          Buffer.from([0xff, 0xfe]),
          Buffer.from(`nani","roles":["leerkracht"],"brin":"20DP","number":"${id(0)}"}`),
        ]),
        field: "surname",
        by: "line",
      },
    ],
  },
  {
    kind: "names without a Latin letter (the generated uid has no name part)",
    records: () => [json({ givenName: "Δημήτρης", surname: "Παπαδόπουλος" }, { field: ["uid", "key"] })],
  },
  // Groups.
  {
    kind: "JSON: a group name of 300 characters",
    records: (id) => [
      {
        source: "json",
        raw: JSON.stringify({ kind: "group", id: id(0), name: "G".repeat(300), members: [id(1)] }),
        field: "name",
      },
      json({ id: id(1) }, {}),
    ],
  },
  {
    kind: "JSON: duplicate group id",
    records: (id) => [
      {
        source: "json",
        raw: JSON.stringify({ kind: "group", id: id(0), name: `eerste-${id(0)}`, members: [id(2)] }),
      },
      {
        source: "json",
        raw: JSON.stringify({ kind: "group", id: id(0), name: `tweede-${id(0)}`, members: [id(2)] }),
        field: "id",
        by: "line",
        marker: `tweede-${id(0)}`,
      },
      json({ id: id(2) }, {}),
    ],
  },
  {
    kind: "two groups with one DN (names differ in case only)",
    records: (id) => [
      {
        source: "json",
        raw: JSON.stringify({ kind: "group", id: id(0), name: `Klas-${id(0)}`, members: [id(2)] }),
      },
      {
        source: "json",
        raw: JSON.stringify({ kind: "group", id: id(1), name: `KLAS-${id(0)}`, members: [id(2)] }),
        field: "key",
      },
      json({ id: id(2) }, {}),
    ],
  },
  {
    kind: "JSON: a group with an empty name",
    records: (id) => [
      {
        source: "json",
        raw: JSON.stringify({ kind: "group", id: id(0), name: "", members: [id(1)] }),
        field: "name",
        by: "line",
      },
      json({ id: id(1) }, {}),
    ],
  },
  {
    kind: "JSON: a control character in a group name",
    records: (id) => [
      {
        source: "json",
        raw: JSON.stringify({ kind: "group", id: id(0), name: "klas\u00075C", members: [id(1)] }),
        field: "name",
      },
      json({ id: id(1) }, {}),
    ],
  },
  {
    kind: "JSON: a person in a group that does not exist",
    severity: "warning",
    bug: "the planner ignores a group id in person.groups that no group record has, without a review item (src/plan/planner.ts, the `else` branch under `for (const g of person.groups)`)",
    records: () => [json({ groups: ["klas-bestaat-niet"] }, { field: "groups" })],
  },
  {
    kind: "JSON: groups nested in a circle",
    severity: "warning",
    records: (id) => [
      {
        source: "json",
        raw: JSON.stringify({ kind: "group", id: id(0), name: `kring-${id(0)}`, members: [id(1), id(2)] }),
        field: "members",
      },
      {
        source: "json",
        raw: JSON.stringify({ kind: "group", id: id(1), name: `kring-${id(1)}`, members: [id(0)] }),
        field: "members",
      },
      json({ id: id(2) }, {}),
    ],
  },
];
