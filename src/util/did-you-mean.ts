/**
 * Names close to a mistyped one, for "did you mean" hints: the same name in other case first,
 * then names within a small edit distance (about one edit per five characters, a swap of
 * two neighbours counting as one), closest first.
 *
 * @example
 * closeNames("Groep 8b", ["Groep 8B", "Groep 7a"]) // ["Groep 8B"]
 */
export function closeNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 5));
  const scored: [string, number][] = [];
  for (const c of new Set(candidates)) {
    if (c === name) continue;
    const d = c.toLowerCase() === wanted ? 0 : editDistance(wanted, c.toLowerCase(), limit);
    if (d <= limit) scored.push([c, d]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([c]) => c);
}

/**
 * A "Did you mean …?" sentence for `name` among `candidates`, or "" when none is close.
 *
 * @example
 * didYouMean("pilto", ["pilot", "bestuur"]) // ' Did you mean "pilot"?'
 */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const close = closeNames(name, candidates);
  return close.length ? ` Did you mean ${close.map((c) => `"${c}"`).join(" or ")}?` : "";
}

/**
 * The edit distance of `a` and `b` counting a swap of two neighbours as one edit (optimal string
 * alignment), or `limit + 1` as soon as it must exceed `limit`.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (before[j - 2] as number) + 1);
      row.push(v);
    }
    if (Math.min(...row) > limit) return limit + 1;
    before = prev;
    prev = row;
  }
  return prev[b.length] as number;
}
