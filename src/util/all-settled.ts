/**
 * Waits for two tasks running alongside each other and returns both results; if either fails,
 * throws the first failure, but only once the other has settled too, so nothing is still
 * running when the caller cleans up.
 *
 * @example
 * const [segments, index] = await allSettled(mapInWorkers(options), TargetIndex.read(target, "uid"));
 */
export async function allSettled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === "rejected") throw ra.reason;
  if (rb.status === "rejected") throw rb.reason;
  return [ra.value, rb.value];
}
