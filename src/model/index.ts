export * from "./connector.js";
export * from "./group.js";
export * from "./journal.js";
export * from "./operation.js";
export * from "./person.js";
export * from "./plan.js";
export * from "./review.js";
export * from "./target-entry.js";
