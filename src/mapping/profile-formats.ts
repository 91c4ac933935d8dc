/**
 * The named value formats a federation profile can require (`format: hostname`, …). Each is a
 * precompiled test, because validation runs once per attribute value of every mapped person.
 */

/** A value test: true when the value is well-formed. */
export type FormatTest = (value: string) => boolean;

const HOST_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOSTNAME = `${HOST_LABEL}(?:\\.${HOST_LABEL})+`;

/** The eduPerson affiliation vocabulary plus SURFconext's `pre-student`. */
export const AFFILIATIONS = [
  "affiliate",
  "alum",
  "employee",
  "faculty",
  "library-walk-in",
  "member",
  "pre-student",
  "staff",
  "student",
] as const;

/** ISO 639-1 two-letter language codes. */
const ISO_639_1 = new Set(
  (
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz " +
    "ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik " +
    "io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml " +
    "mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd " +
    "se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi " +
    "vo wa wo xh yi yo za zh zu"
  ).split(" "),
);

function regexTest(source: string, flags = ""): FormatTest {
  const re = new RegExp(source, flags);
  return (value) => re.test(value);
}

/** ORCID iD checksum (ISO 7064 MOD 11-2) over the 15 digits before the check character. */
function orcidChecksumOk(id: string): boolean {
  const digits = id.replace(/-/g, "");
  let total = 0;
  for (let i = 0; i < 15; i++) total = (total + Number(digits[i])) * 2;
  const result = (12 - (total % 11)) % 11;
  return digits[15] === (result === 10 ? "X" : String(result));
}

/** True for a DNS name with at least one dot, such as `voorbeeld.nl`. */
export const isHostname: FormatTest = regexTest(`^(?=.{1,253}$)${HOSTNAME}$`, "i");

const orcidShape = /^https:\/\/orcid\.org\/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/;

/**
 * The named formats, by the name a profile uses. Every regex is anchored and compiled once.
 * - `hostname`: a DNS name with at least one dot (`voorbeeld.nl`), as EngineBlock requires of
 *   `schacHomeOrganization`.
 * - `brin`: 4 characters `[0-9A-Z]`, optionally + 2-digit vestiging (`11ZZ`, `11ZZ03`);
 *   `brin-branch`: exactly BRIN + vestiging (`99DE00`).
 * - `user-at-realm`: Entree's `userId@realm`; `eppn`: `\S+@\S+` (EngineBlock).
 * - `eckid`: `https://ketenid.nl/201703/<128 lowercase hex>` (or `/pilot/` in test).
 * - `orcid`: `https://orcid.org/dddd-dddd-dddd-dddX` with a valid check character.
 * - `scoped-affiliation`: `affiliation@domain` with an eduPerson affiliation value.
 * - `personal-unique-code`: `urn:schac:personalUniqueCode:nl:local:<sHO>:{studentid,employeeid,memberid}:<token>`.
 * - `profile-id`: nlEduPersonProfileId, `studentnumber@administration.schooldomain.nl`.
 * - `language`: ISO 639-1 two letters; `email`; `urn`; `uuid`; `home-organization-type`.
 */
export const FORMATS: Readonly<Record<string, FormatTest>> = {
  hostname: isHostname,
  email: regexTest("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$"),
  brin: regexTest("^[0-9A-Z]{4}(?:[0-9]{2})?$"),
  "brin-branch": regexTest("^[0-9A-Z]{4}[0-9]{2}$"),
  "user-at-realm": regexTest("^[^@\\s]+@[^@\\s]+$"),
  eppn: regexTest("^\\S+@\\S+$"),
  eckid: regexTest("^https://ketenid\\.nl/(?:201703|pilot)/[0-9a-f]{128}$"),
  orcid: (value) => orcidShape.test(value) && orcidChecksumOk(value.slice("https://orcid.org/".length)),
  "scoped-affiliation": regexTest(`^(?:${AFFILIATIONS.join("|")})@${HOSTNAME}$`, "i"),
  "personal-unique-code": regexTest(
    `^urn:schac:personalUniqueCode:nl:local:${HOSTNAME}:(?:studentid|employeeid|memberid):[^\\s:]+$`,
    "i",
  ),
  "profile-id": regexTest(`^[^@\\s]+@${HOSTNAME}$`, "i"),
  language: (value) => ISO_639_1.has(value),
  urn: regexTest("^urn:[a-z0-9][a-z0-9-]{0,31}:\\S+$", "i"),
  uuid: regexTest("^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", "i"),
  "home-organization-type": regexTest("^urn:mace:terena\\.org:schac:homeOrganizationType:[a-z]+:[A-Za-z-]+$"),
};

/** True when `name` is one of the {@link FORMATS}. */
export function isFormatName(name: string): boolean {
  return Object.hasOwn(FORMATS, name);
}

/**
 * Why a value must not be used as an identifier or in a DN (`uid`, ePPN), or null when it is
 * safe: no control characters, none of `, + " \ < > ; =`, no leading `#` or space, no
 * trailing space. Example: `identifierProblem("#puk")` → `"starts with '#'"`.
 */
export function identifierProblem(value: string): string | null {
  if (value.length === 0) return "is empty";
  const first = value[0];
  if (first === "#") return "starts with '#'";
  if (first === " ") return "starts with a space";
  if (value[value.length - 1] === " ") return "ends with a space";
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return "contains a control character";
    // , + " \ < > ; =
    if (
      code === 44 ||
      code === 43 ||
      code === 34 ||
      code === 92 ||
      code === 60 ||
      code === 62 ||
      code === 59 ||
      code === 61
    ) {
      return `contains '${value[i]}'`;
    }
  }
  return null;
}
