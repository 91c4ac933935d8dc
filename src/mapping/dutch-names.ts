/**
 * Dutch name rules: the tussenvoegsel (`van der`, `'t`, `d'`) is kept apart from the surname,
 * display and sorted forms follow Dutch writing conventions, and login names fold diacritics
 * while display names keep them.
 */

/** A person's name in parts. `tussenvoegsel` is lower case (`van der`), `surname` without it. */
export interface NameParts {
  givenName?: string;
  tussenvoegsel?: string;
  surname: string;
}

/** The result of {@link splitSurname}. */
export interface SplitName {
  tussenvoegsel: string;
  surname: string;
}

/**
 * Tussenvoegsels recognised by {@link splitSurname}, in canonical form: Dutch ones (after the
 * BRP prefix table) plus the French, German and Romance ones common in the Netherlands.
 * Single letters and `el`/`al` are left out on purpose: too many surnames start with them.
 */
export const TUSSENVOEGSELS: readonly string[] = [
  "aan de",
  "aan den",
  "aan der",
  "aan het",
  "aan 't",
  "bij de",
  "bij den",
  "bij het",
  "bij 't",
  "d'",
  "da",
  "dal",
  "de",
  "de l'",
  "de la",
  "de las",
  "de los",
  "del",
  "della",
  "den",
  "der",
  "des",
  "di",
  "do",
  "dos",
  "du",
  "het",
  "in de",
  "in den",
  "in der",
  "in het",
  "in 't",
  "l'",
  "la",
  "le",
  "les",
  "onder de",
  "onder den",
  "op de",
  "op den",
  "op der",
  "op het",
  "op 't",
  "op ten",
  "over de",
  "over het",
  "over 't",
  "'s",
  "'t",
  "te",
  "ten",
  "ter",
  "thoe",
  "tot",
  "uit de",
  "uit den",
  "uit het",
  "uit 't",
  "uit te de",
  "uit ten",
  "uijt de",
  "uijt den",
  "van",
  "van de",
  "van den",
  "van der",
  "van het",
  "van la",
  "van 't",
  "van ter",
  "ver",
  "vom",
  "von",
  "von dem",
  "von den",
  "von der",
  "voor de",
  "voor den",
  "voor in 't",
  "zu",
  "zum",
  "zur",
];

const PREFIXES = new Set(TUSSENVOEGSELS);
const MAX_PREFIX_WORDS = 3;
const APOSTROPHES = /[’‘`´ʼ]/g;

function canonical(word: string): string {
  return word.replace(APOSTROPHES, "'").toLowerCase();
}

/** Splits `d'Ancona` → `d'` + `Ancona` and `van't` → `van` + `'t`; other words stay whole. */
function words(text: string): { word: string; attached: boolean }[] {
  const out: { word: string; attached: boolean }[] = [];
  for (const raw of text.trim().split(/\s+/)) {
    if (!raw) continue;
    const norm = canonical(raw);
    const elided = /^([dl])'(\p{L}.*)$/u.exec(norm);
    if (elided) {
      out.push({ word: `${elided[1]}'`, attached: false });
      out.push({ word: raw.slice(2), attached: true });
      continue;
    }
    if (norm === "van't") {
      out.push({ word: "van", attached: false }, { word: "'t", attached: false });
      continue;
    }
    out.push({ word: raw, attached: false });
  }
  return out;
}

function prefixOf(tokens: { word: string }[], count: number): string {
  return tokens
    .slice(0, count)
    .map((t) => canonical(t.word))
    .join(" ");
}

/**
 * Splits a surname the source delivers joined with its tussenvoegsel. The tussenvoegsel comes
 * back in canonical lower case (the source may have capitalised it), the surname as given.
 * Hyphenated and double surnames stay whole (`Jansen-de Vries`); a sorted form
 * (`Berg, van der`) is understood too.
 * Examples: `splitSurname("van der Berg")` → `{ tussenvoegsel: "van der", surname: "Berg" }`;
 * `splitSurname("D'Ancona")` → `{ tussenvoegsel: "d'", surname: "Ancona" }`;
 * `splitSurname("O'Neill")` → `{ tussenvoegsel: "", surname: "O'Neill" }`.
 */
export function splitSurname(full: string): SplitName {
  const text = full.trim().replace(/\s+/g, " ");
  const comma = text.indexOf(",");
  if (comma > 0) {
    const after = canonical(text.slice(comma + 1).trim());
    if (PREFIXES.has(after)) return { tussenvoegsel: after, surname: text.slice(0, comma).trim() };
  }
  const tokens = words(text);
  for (let k = Math.min(MAX_PREFIX_WORDS, tokens.length - 1); k >= 1; k--) {
    const prefix = prefixOf(tokens, k);
    if (!PREFIXES.has(prefix)) continue;
    let surname = "";
    for (const t of tokens.slice(k)) surname += surname === "" || t.attached ? t.word : ` ${t.word}`;
    return { tussenvoegsel: prefix, surname };
  }
  return { tussenvoegsel: "", surname: text };
}

function joinPrefix(prefix: string, surname: string): string {
  if (!prefix) return surname;
  if (!surname) return prefix;
  return prefix.endsWith("'") ? `${prefix}${surname}` : `${prefix} ${surname}`;
}

function capitalise(prefix: string): string {
  if (!prefix || prefix.startsWith("'")) return prefix;
  return prefix[0]?.toUpperCase() + prefix.slice(1);
}

function clean(s: string | undefined): string {
  return (s ?? "").trim().replace(/\s+/g, " ");
}

/**
 * The surname with its tussenvoegsel as written without a given name: the tussenvoegsel gets a
 * capital (`Van der Berg`, `D'Ancona`), except an apostrophe form (`'t Hart`).
 */
export function formalSurname(parts: NameParts): string {
  return joinPrefix(capitalise(clean(parts.tussenvoegsel)), clean(parts.surname));
}

/**
 * The display form: `Jan van der Berg`, `Hedy d'Ancona`; without a given name the formal form
 * (`Van der Berg`). Diacritics are kept.
 */
export function displayName(parts: NameParts): string {
  const given = clean(parts.givenName);
  if (!given) return formalSurname(parts);
  return `${given} ${joinPrefix(clean(parts.tussenvoegsel), clean(parts.surname))}`.trim();
}

/**
 * The sorted form, by surname without the tussenvoegsel: `Berg, Jan van der`; without a given
 * name the tussenvoegsel is capitalised: `Dijk, Van`.
 */
export function sortName(parts: NameParts): string {
  const surname = clean(parts.surname);
  const given = clean(parts.givenName);
  const prefix = clean(parts.tussenvoegsel);
  const rest = given ? [given, prefix].filter(Boolean).join(" ") : capitalise(prefix);
  return rest ? `${surname}, ${rest}` : surname;
}

const SPECIAL_LETTERS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  ø: "o",
  œ: "oe",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};

/**
 * A login-name part: diacritics folded, lower case, apostrophes dropped, spaces turned into
 * `separator` (default `.`), anything else outside `[a-z0-9._-]` removed. Use it for login
 * names only; display names keep their diacritics. May return "" for a name in a non-Latin script.
 * Examples: `loginPart("Zoë Çelik")` → `"zoe.celik"`; `loginPart("'t Hart")` → `"t.hart"`;
 * `loginPart("van der Berg", "")` → `"vanderberg"`.
 */
export function loginPart(s: string, separator = "."): string {
  const sep = separator.replace(/[^a-z0-9._-]/g, "");
  return s
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[ßæøœłđðþı]/g, (ch) => SPECIAL_LETTERS[ch] ?? ch)
    .replace(/['’‘`´ʼ]/g, "")
    .split(/\s+/)
    .map((word) => word.replace(/[^a-z0-9._-]/g, ""))
    .filter(Boolean)
    .join(sep)
    .replace(/[._-]{2,}/g, (run) => (run.includes("-") ? "-" : (run[0] as string)))
    .replace(/^[._-]+|[._-]+$/g, "");
}
