/**
 * Conditional requests: GitHub answers a GET that carries the `ETag` of what the app last saw with
 * `304 Not Modified` when nothing changed, and a 304 costs nothing against the rate limit. The cache
 * keeps, per installation, URL and media type, the ETag and the answer of recent GETs, bounded in
 * entries and bytes (least recently used go first), in this process only. GitHub decides what is
 * fresh: a cached answer is only ever used after GitHub said it has not changed.
 */

/** What Octokit answers. */
export interface CachedResponse {
  status: number;
  url: string;
  headers: Record<string, string | number | undefined>;
  data: unknown;
}

interface Entry {
  etag: string;
  response: CachedResponse;
  bytes: number;
}

export interface ConditionalCacheOptions {
  /** Most answers kept (default 2,000). */
  maxEntries?: number;
  /** Most bytes of answers kept, as GitHub sent them (default 32 MiB). */
  maxBytes?: number;
  /** An answer over this is not kept (default 1 MiB). */
  maxEntryBytes?: number;
}

export class ConditionalCache {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #maxEntryBytes: number;

  constructor(options: ConditionalCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 2_000;
    this.#maxBytes = options.maxBytes ?? 32 * 2 ** 20;
    this.#maxEntryBytes = options.maxEntryBytes ?? 2 ** 20;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The ETag to send for `key`, or undefined when nothing is kept for it. */
  etag(key: string): string | undefined {
    return this.#entries.get(key)?.etag;
  }

  /** The kept answer, as a copy (callers such as Octokit's paginate change what they are given). */
  hit(key: string): CachedResponse | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return { ...entry.response, headers: { ...entry.response.headers }, data: structuredClone(entry.response.data) };
  }

  /** Keeps a 200 answer that has an ETag and fits, in place of what was kept for `key`. */
  keep(key: string, response: CachedResponse, bytes: number): void {
    this.forget(key);
    const etag = response.headers["etag"];
    if (typeof etag !== "string" || etag === "" || bytes > this.#maxEntryBytes) return;
    const copy = { ...response, headers: { ...response.headers }, data: structuredClone(response.data) };
    this.#entries.set(key, { etag, response: copy, bytes });
    this.#bytes += bytes;
    for (const [old, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(old);
      this.#bytes -= entry.bytes;
    }
  }

  forget(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}

/**
 * Whether a list answer is all there is. A page of a longer list is not kept: GitHub's ETag covers a
 * page's items, so a full first page could stay "not modified" while a next page appeared.
 */
export function wholeList(url: string, data: unknown, headers: CachedResponse["headers"]): boolean {
  if (headers["link"] !== undefined) return false;
  const perPage = Number(new URL(url, "http://github.invalid").searchParams.get("per_page") ?? 30);
  const items = Array.isArray(data) ? data : listItems(data);
  return items === null || items.length < perPage;
}

/** The items of a list that GitHub wraps with its `total_count` (check runs, check suites, …). */
function listItems(data: unknown): unknown[] | null {
  if (typeof data !== "object" || data === null || !("total_count" in data)) return null;
  const list = Object.values(data).find(Array.isArray);
  return (list as unknown[] | undefined) ?? null;
}
