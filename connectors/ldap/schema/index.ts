export { eduPersonSchema } from "./eduperson.js";
export { nlEduPersonSchema, TEST_ARC } from "./nleduperson.js";
export { renderLdif, renderSchemaFile } from "./render.js";
export { schacSchema } from "./schac.js";
export type { AttributeTypeDef, ObjectClassDef, SchemaDef } from "./types.js";
