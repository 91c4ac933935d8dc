import { writeFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import { nlEduPersonSchema, renderLdif, renderSchemaFile } from "../../connectors/ldap/schema/index.js";
import { action } from "./action.js";
import { say } from "./output.js";

/**
 * Registers `overstap ldap-schema --arc OID [--format ldif|schema] [--out FILE]`: prints (or
 * writes) the nlEduPerson schema with OIDs under the institution's own arc, as an OpenLDAP
 * cn=config LDIF or a slapd.conf `.schema` file.
 * @example register(program)
 */
export function register(program: Command): void {
  program
    .command("ldap-schema")
    .description(
      "print the nlEduPerson LDAP schema (Entree attributes) with OIDs under your institution's arc",
    )
    .requiredOption(
      "--arc <oid>",
      "your OID arc, e.g. 1.3.6.1.4.1.NNNN.x under your IANA private enterprise number",
    )
    .addOption(
      new Option("--format <format>", "cn=config LDIF or slapd.conf schema")
        .choices(["ldif", "schema"])
        .default("ldif"),
    )
    .option("--out <file>", "write to this file instead of standard output")
    .addHelpText(
      "after",
      "\nLoad it into OpenLDAP (cn=config):\n  overstap ldap-schema --arc 1.3.6.1.4.1.NNNN.1 --out nleduperson.ldif\n  ldapadd -Y EXTERNAL -H ldapi:/// -f nleduperson.ldif\n\neduPerson and SCHAC ship ready-made in mappings/ldap-schema/.",
    )
    .action(
      action(async (opts) => {
        const schema = nlEduPersonSchema(String(opts.arc));
        const text = opts.format === "schema" ? renderSchemaFile(schema) : renderLdif(schema);
        if (typeof opts.out === "string") {
          await writeFile(opts.out, text);
          say(opts, `Wrote the nlEduPerson schema (arc ${String(opts.arc)}) to ${opts.out}.`);
        } else process.stdout.write(text);
        return 0;
      }),
    );
}
