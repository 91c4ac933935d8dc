import { createHash, createHmac, randomBytes } from "node:crypto";

/**
 * Opaque page tokens: the listing position, a digest of the request they continue, and when
 * their chain started, sealed with a secret. Google ends a chain 60 minutes after its first
 * page (503 `backendError`); a token it cannot read is refused with 400.
 */
export class PageTokens {
  readonly #secret = randomBytes(16);
  /** Tokens refused because their chain had died. */
  expired = 0;

  constructor(
    public ttlMs = 3_600_000,
    readonly now: () => number = Date.now,
  ) {}

  /** The digest of a request's parameters other than `pageToken`, `fields` and `maxResults`. */
  static digest(q: URLSearchParams, path: string): string {
    const keep = [...q.entries()].filter(([k]) => !["pageToken", "fields", "maxResults"].includes(k)).sort();
    return createHash("sha256")
      .update(`${path}?${JSON.stringify(keep)}`)
      .digest("base64url")
      .slice(0, 12);
  }

  /** A token for the page after `after`, in the chain that started at `started`. */
  issue(after: string, digest: string, started: number): string {
    const body = Buffer.from(JSON.stringify({ a: after, d: digest, s: started })).toString("base64url");
    return `${body}.${this.#mac(body)}`;
  }

  /** Reads a token: its position and chain start, "invalid", or "expired". */
  read(token: string, digest: string): { after: string; started: number } | "invalid" | "expired" {
    const [body, mac] = token.split(".");
    if (!body || mac !== this.#mac(body)) return "invalid";
    const t = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as {
      a: string;
      d: string;
      s: number;
    };
    if (t.d !== digest) return "invalid";
    if (this.now() - t.s > this.ttlMs) {
      this.expired++;
      return "expired";
    }
    return { after: t.a, started: t.s };
  }

  #mac(body: string): string {
    return createHmac("sha256", this.#secret).update(body).digest("base64url").slice(0, 16);
  }
}
