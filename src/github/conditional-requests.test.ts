import { describe, expect, it } from "vitest";
import { ConditionalCache, wholeList } from "./conditional-requests.js";
import { approxSize } from "./request-policy.js";
import { retryAfterMs } from "./retry-after.js";

const answer = (etag: string, data: unknown) => ({ status: 200, url: "u", headers: { etag }, data });

describe("the conditional cache", () => {
  it("keeps at most its entries and bytes, least recently used going first, and nothing over the size of one", () => {
    const cache = new ConditionalCache({ maxEntries: 2, maxBytes: 100, maxEntryBytes: 60 });
    cache.keep("a", answer('"a"', 1), 10);
    cache.keep("b", answer('"b"', 2), 10);
    cache.hit("a"); // a is used: b is now the oldest
    cache.keep("c", answer('"c"', 3), 10);
    expect([cache.etag("a"), cache.etag("b"), cache.etag("c")]).toEqual(['"a"', undefined, '"c"']);
    cache.keep("big", answer('"big"', 4), 61);
    expect(cache.etag("big")).toBeUndefined();
    cache.keep("d", answer('"d"', 5), 55);
    cache.keep("e", answer('"e"', 6), 55);
    expect(cache.etag("d")).toBeUndefined(); // 110 bytes would be over 100
    expect(cache.size).toBeLessThanOrEqual(2);
  });

  it("hands out copies: a caller that changes its answer does not change the next one", () => {
    const cache = new ConditionalCache();
    cache.keep("k", answer('"k"', { total_count: 1, check_runs: [{ id: 1 }] }), 10);
    const first = cache.hit("k")!;
    (first.data as { check_runs: unknown[] }).check_runs.length = 0;
    expect(cache.hit("k")!.data).toEqual({ total_count: 1, check_runs: [{ id: 1 }] });
  });

  it("keeps only lists that fit on one page", () => {
    expect(wholeList("/x?per_page=2", [1], {})).toBe(true);
    expect(wholeList("/x?per_page=2", [1, 2], {})).toBe(false);
    expect(wholeList("/x", [1], { link: '<…>; rel="next"' })).toBe(false);
    expect(wholeList("/x?per_page=100", { total_count: 3, check_runs: [1, 2, 3] }, {})).toBe(true);
    expect(wholeList("/x?per_page=3", { total_count: 9, check_runs: [1, 2, 3] }, {})).toBe(false);
  });
});

describe("GitHub's waits", () => {
  const error = (status: number, headers: Record<string, string>) => ({ status, response: { headers } });
  it("reads Retry-After, a spent quota's reset, and tells them from a 403 that is a refusal", () => {
    expect(retryAfterMs(error(429, { "retry-after": "3" }))).toBe(3000);
    expect(retryAfterMs(error(403, { "retry-after": "0" }))).toBe(0);
    expect(retryAfterMs(error(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "110" }), 100_000)).toBe(11_000);
    expect(retryAfterMs(error(403, {}))).toBeUndefined();
    expect(retryAfterMs(error(404, { "retry-after": "3" }))).toBeUndefined();
  });
});

describe("the size of an answer without Content-Length", () => {
  it("is about its JSON's, and a large one counts as over the limit", () => {
    const small = { id: 1, name: "widgets", topics: ["a", "b"] };
    expect(Math.abs(approxSize(small, 1e6) - JSON.stringify(small).length)).toBeLessThan(JSON.stringify(small).length);
    const big = Array.from({ length: 100_000 }, (_, i) => ({ path: `src/file${i}.ts`, sha: "0".repeat(40) }));
    expect(approxSize(big, 1000)).toBeGreaterThanOrEqual(1000);
    expect(approxSize(big, 1e9)).toBeGreaterThan(JSON.stringify(big).length / 2);
  });
});
