import type { Operation } from "../model/operation.js";

/**
 * The order in which operations may run. Operations of one phase run concurrently; a phase
 * starts when the previous one has finished, so persons exist before groups point at them and
 * groups let go of persons before those are disabled or deleted.
 */
export function phaseOf(op: Pick<Operation, "kind" | "type">): number {
  if (op.type === "person") {
    switch (op.kind) {
      case "create":
      case "rename":
      case "update":
      case "enable":
        return 1;
      case "disable":
        return 4;
      default:
        return 6;
    }
  }
  switch (op.kind) {
    case "create":
    case "update":
    case "rename":
    case "add-members":
      return 2;
    case "remove-members":
      return 3;
    default:
      return 5;
  }
}
