/**
 * The records of an LDIF file (RFC 2849): content records (an entry) and change records
 * (`changetype: add | delete | modify | modrdn`). Values are UTF-8 strings; attribute names keep
 * their options (`cn;lang-nl`). `line` is the 1-based line where the record starts, when parsed.
 */

/** An entry: its DN and attributes, each a list of values, in file order. */
export interface LdifEntry {
  dn: string;
  attrs: Record<string, string[]>;
}

/** One `add:` / `delete:` / `replace:` block of a modify record. */
export interface LdifModification {
  op: "add" | "delete" | "replace";
  attr: string;
  values: string[];
}

export type LdifRecord =
  | { kind: "content"; dn: string; attrs: Record<string, string[]>; line?: number }
  | { kind: "add"; dn: string; attrs: Record<string, string[]>; line?: number }
  | { kind: "delete"; dn: string; line?: number }
  | { kind: "modify"; dn: string; mods: LdifModification[]; line?: number }
  | {
      kind: "modrdn";
      dn: string;
      newRdn: string;
      deleteOldRdn: boolean;
      newSuperior?: string;
      line?: number;
    };

export type LdifChangeRecord = Exclude<LdifRecord, { kind: "content" }>;

/**
 * How the LDIF text of one entry (a content record) is written:
 * - `canonical`: exactly as the canonical writer writes it (see `formatCanonicalLdif`);
 * - `plain`: no comments, no CR, each attribute's lines together and spelled one way, no
 *   value twice: readable without merging or checking anything;
 * - `raw`: any other valid LDIF.
 */
export type TextForm = "canonical" | "plain" | "raw";
