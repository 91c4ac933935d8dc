import { formalSurname, loginPart, splitSurname } from "./dutch-names.js";
import { eachValue, literalArg, registerFilter } from "./filters.js";

/**
 * Mapping filters for Dutch names, built on `dutch-names.ts`:
 * - `tussenvoegsel`: the prefix of a joined surname (`van der Berg` → `van der`; none: no value)
 * - `achternaam`: the surname without its prefix (`van der Berg` → `Berg`)
 * - `formal`: a joined surname written formally (`van der Berg` → `Van der Berg`)
 * - `login` [separator]: a login-name part (`Zoë Çelik` → `zoe.celik`; `'` dropped, diacritics folded)
 * Registered when this module is imported (mapping.ts does).
 */
registerFilter("tussenvoegsel", {
  args: 0,
  usage: "tussenvoegsel",
  compile: () => eachValue((v) => splitSurname(v).tussenvoegsel || undefined),
});
registerFilter("achternaam", {
  args: 0,
  usage: "achternaam",
  compile: () => eachValue((v) => splitSurname(v).surname || undefined),
});
registerFilter("formal", {
  args: 0,
  usage: "formal",
  compile: () => eachValue((v) => formalSurname(splitSurname(v)) || undefined),
});
registerFilter("login", {
  args: [0, 1],
  usage: "login ['separator']",
  compile: (args) => {
    const sep = args.length ? literalArg(args, 0, "login", "a separator") : ".";
    return eachValue((v) => loginPart(v, sep) || undefined);
  },
});
