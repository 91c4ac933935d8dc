import type { ConnectorContext } from "../../src/config/connector-context.js";
import { isOverstapError, toOverstapError } from "../../src/errors.js";
import type { CheckFinding, EntryWrites, TargetWrites } from "../../src/model/connector.js";
import { disabledWrites } from "../../src/model/target-rules.js";
import { type LdapConfig, LdapConfigSchema } from "./config.js";
import { createLdapTarget } from "./create.js";
import { ownDisableRules } from "./rules.js";
import { checkSchema } from "./schema-check.js";
import { readServerSchema, type ServerSchema } from "./server-schema.js";
import type { LdapTarget } from "./target.js";

/** Doctor retries a lost connection twice within five seconds, not for two minutes. */
const DOCTOR_RETRY = { attempts: 2, baseMs: 200, maxMs: 1000, totalMs: 5000 };

function failed(err: unknown): CheckFinding {
  const e = toOverstapError(err, "TARGET_UNREACHABLE");
  return { status: "failed", message: `[${e.code}] ${e.message}`, ...(e.hint ? { hint: e.hint } : {}) };
}

/**
 * What `overstap doctor` reports about an LDAP target, read-only: the bind, that the base DN
 * (and peopleBase, groupsBase, the disable OU) exist, and the schema: every attribute and
 * object class a plan writes is defined (for disabled persons, by the target's own `disable:`
 * rules when it has them), and for each kind of entry the object classes the mapping gives
 * allow every attribute written and get every attribute they require (else each create would
 * fail with objectClassViolation). After a failed bind the rest is "not checked".
 * @example const findings = await checkLdapTarget(config.target, ctx, writes)
 */
export async function checkLdapTarget(
  raw: unknown,
  ctx: ConnectorContext,
  writes: TargetWrites,
): Promise<CheckFinding[]> {
  const target = await createLdapTarget({ ...(raw as object), retry: DOCTOR_RETRY }, ctx);
  try {
    const config = ctx.parse(LdapConfigSchema, raw);
    try {
      await target.session.run({ action: "bind", dn: config.bindDn }, async () => undefined);
    } catch (err) {
      return [failed(err), { status: "not checked", message: "base DN and schema (no connection)" }];
    }
    const out: CheckFinding[] = [{ status: "ok", message: `bound to ${config.url} as ${config.bindDn}` }];
    for (const [key, dn] of [
      ["baseDn", config.baseDn],
      ["peopleBase", config.peopleBase],
      ["groupsBase", config.groupsBase],
      ["disable.ou", config.disable?.ou],
    ] as const) {
      if (dn !== undefined) out.push(await entryExists(target, `${ctx.path}.${key}`, dn));
    }
    out.push(...(await schemaFindings(target, ownWrites(config, writes))));
    return out;
  } finally {
    await target.close();
  }
}

/** `writes` with the disabled persons' part from the target's own `disable:` rules, when it has them. */
function ownWrites(config: LdapConfig, writes: TargetWrites): TargetWrites {
  if (!config.disable) return writes;
  return { ...writes, disabled: disabledWrites(writes.person, ownDisableRules(config.disable)) };
}

async function entryExists(target: LdapTarget, key: string, dn: string): Promise<CheckFinding> {
  try {
    await target.session.run({ action: "read", dn }, (c) =>
      c.search(dn, { scope: "base", attributes: ["1.1"] }),
    );
    return { status: "ok", message: `${key} ${dn} exists` };
  } catch (err) {
    if (isOverstapError(err, "TARGET_NO_SUCH_OBJECT"))
      return {
        status: "failed",
        message: `${key}: ${dn} does not exist on the server`,
        hint: `Check ${key} in the configuration, or create the entry in the directory.`,
      };
    return failed(err);
  }
}

async function schemaFindings(target: LdapTarget, writes: TargetWrites): Promise<CheckFinding[]> {
  const all = [writes.person, writes.group, writes.disabled];
  const report = await checkSchema(
    target,
    [...new Set(all.flatMap((w) => w.attributes))],
    [...new Set(all.flatMap((w) => w.objectClasses))],
  );
  if (!report.ok) {
    return [
      {
        status: "failed",
        message: `the directory's schema lacks ${[...report.missingAttributes, ...report.missingObjectClasses].join(", ")}`,
        hint: report.hints.join(" "),
      },
    ];
  }
  const schema = await target.session.run({ action: "read subschema" }, readServerSchema);
  return [
    { status: "ok", message: "the directory's schema defines every attribute and object class plans write" },
    classFinding(schema, "persons", writes.person),
    ...(writes.group.attributes.length ? [classFinding(schema, "groups", writes.group)] : []),
    classFinding(schema, "disabled persons", writes.disabled),
  ];
}

/** Whether entries with `w.objectClasses` may hold `w.attributes` and get every attribute their classes require. */
function classFinding(schema: ServerSchema, what: string, w: EntryWrites): CheckFinding {
  if (w.objectClasses.length === 0)
    return {
      status: "not checked",
      message: `${what}: the mapping gives no objectClass as plain text, so which attributes the classes allow is not checked`,
    };
  const classes = w.objectClasses.join(", ");
  const { must, may, extensible } = schema.classAttributes(w.objectClasses);
  const written = new Set(w.attributes.map((a) => schema.attributeName(a) ?? a));
  written.delete("objectClass");
  const notAllowed = extensible ? [] : [...written].filter((a) => !must.has(a) && !may.has(a));
  const lacking = [...must].filter((a) => a !== "objectClass" && !written.has(a));
  if (notAllowed.length === 0 && lacking.length === 0)
    return {
      status: "ok",
      message: `${what}: object classes ${classes} allow all ${written.size} attributes written`,
    };
  const problems = [
    ...(notAllowed.length ? [`do not allow ${notAllowed.join(", ")}`] : []),
    ...(lacking.length ? [`require ${lacking.join(", ")}, which the mapping does not write`] : []),
  ];
  const allowedBy = notAllowed.map((a) => `${a}: ${schema.classesAllowing(a).join(" or ") || "no class"}`);
  return {
    status: "failed",
    message: `${what}: object classes ${classes} ${problems.join(" and ")}; every such write would fail with objectClassViolation`,
    hint: notAllowed.length
      ? `Add a class that allows them to the mapping's objectClass (${allowedBy.join("; ")}), or stop writing them.`
      : "Write those attributes in the mapping, or use object classes that do not require them.",
  };
}
