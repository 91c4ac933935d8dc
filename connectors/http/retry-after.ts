/**
 * How long a `Retry-After` header asks to wait, in milliseconds: delay-seconds (`120`) or an
 * HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`, counted from `now`; a date passed is 0).
 * Undefined when the header is absent or neither form.
 * @example retryAfterMs(res.headers.get("retry-after")) // 2000 for "2"
 */
export function retryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
