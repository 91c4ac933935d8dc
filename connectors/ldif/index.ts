import type { ConnectorModule } from "../../src/config/connector-context.js";
import { LdifTargetConfigSchema } from "./config.js";
import { checkLdifTarget } from "./doctor.js";
import { openLdifTarget } from "./target.js";

export { canonicalAttrs, canonicalOrder, formatCanonicalLdif } from "./canonical.js";
export { type LdifTargetConfig, LdifTargetConfigSchema } from "./config.js";
export { type Applied, type Classify, Directory, type StoredEntry } from "./directory.js";
export { foldLine, formatLdifLine, formatLdifRecord, LDIF_LINE_WIDTH, needsBase64 } from "./format.js";
export { createMemoryTarget, type MemoryTarget } from "./memory.js";
export { type ParseLdifOptions, parseLdif, parseLdifText } from "./parse.js";
export type { LdifChangeRecord, LdifEntry, LdifModification, LdifRecord } from "./record.js";
export { classifier, type LdifTarget, openLdifTarget } from "./target.js";

/** The `ldif` connector: a target that keeps the directory in an LDIF file. */
const ldif: ConnectorModule = {
  type: "ldif",
  async target(config, ctx) {
    const parsed = ctx.parse(LdifTargetConfigSchema, config);
    return openLdifTarget(parsed, { name: ctx.name, baseDir: ctx.baseDir });
  },
  checkTarget: (config, ctx) => checkLdifTarget(config, ctx),
};

export default ldif;
