import { randomBytes } from "node:crypto";

/** A run id that sorts by time and is easy to type: `20261129-141503-7f3a`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}
