/**
 * How many cores the machine really gives right now: a virtual machine may show two cores yet
 * run two busy threads at the speed of one. Wall-clock figures of parallel work (mapping
 * workers, the ECK iD pool) only mean something next to this.
 */
import { Worker } from "node:worker_threads";

const SPIN = `
const { parentPort, workerData } = require("node:worker_threads");
let x = 0;
for (let i = 0; i < workerData; i++) x = (x + i) % 7919;
parentPort.postMessage(x);
`;

function spin(threads: number, iterations: number): Promise<number> {
  const start = performance.now();
  const runs = Array.from(
    { length: threads },
    () =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(SPIN, { eval: true, workerData: iterations });
        w.once("message", () => void w.terminate().then(() => resolve()));
        w.once("error", reject);
      }),
  );
  return Promise.all(runs).then(() => performance.now() - start);
}

/**
 * The speed-up of `threads` busy threads over one (about `threads` when every core is free,
 * about 1 when they share one).
 *
 * @example console.log(`parallel speed-up ${(await parallelSpeedup(2)).toFixed(2)}×`)
 */
export async function parallelSpeedup(threads: number, iterations = 200_000_000): Promise<number> {
  await spin(1, iterations / 10);
  const one = await spin(1, iterations);
  const many = await spin(threads, iterations);
  return (one * threads) / many;
}
