export { seededRandom } from "../../src/demo/data.js";

/** The seed of a random test: `envName` when set (to replay a run), else a fresh one. */
export function testSeed(envName: string): number {
  const given = process.env[envName];
  if (given !== undefined && given !== "") {
    const n = Number(given);
    if (!Number.isInteger(n)) throw new Error(`${envName} must be an integer, got ${JSON.stringify(given)}`);
    return n >>> 0;
  }
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}
