import type { GitHubClient } from "./client.js";
import { ConditionalCache, wholeList, type CachedResponse } from "./conditional-requests.js";
import { httpStatus } from "./errors.js";
import { INLINE_WAIT_MS, RetryAfterGate, retryAfterMs } from "./retry-after.js";

/** What every installation client of one process shares: the ETags it has seen and GitHub's waits. */
export interface RequestPolicy {
  cache: ConditionalCache | null;
  gate: RetryAfterGate;
}

type Send = (options: Options) => Promise<CachedResponse>;
type Parse = (options: Options) => Parsed;
type Options = { method?: string; headers?: Record<string, string | undefined>; [key: string]: unknown };
type Parsed = { method: string; url: string; headers: Record<string, string | undefined> };

const applied = new WeakSet<object>();

/**
 * Every request of an installation's client goes through the gate (nothing is sent while GitHub asked
 * to wait) and, for GETs, the conditional cache (`If-None-Match`; a 304 answers from the cache).
 */
export function applyRequestPolicy(gh: GitHubClient, installationId: number, policy: RequestPolicy): GitHubClient {
  if (applied.has(gh)) return gh;
  applied.add(gh);
  const parse = gh.request.endpoint.parse as unknown as Parse;
  // Only a GET is asked conditionally, and only a GET's URL needs working out here.
  const send = (request: Send, options: Options) =>
    policy.cache && (options.method ?? "GET").toUpperCase() === "GET"
      ? conditional(policy.cache, `${installationId}`, parse(options), request, options)
      : request(options);
  gh.hook.wrap("request", (async (request: Send, options: Options) => {
    await policy.gate.wait(installationId);
    try {
      return await send(request, options);
    } catch (error) {
      const wait = retryAfterMs(error);
      if (wait === undefined) throw error;
      policy.gate.pause(installationId, wait);
      if (wait > INLINE_WAIT_MS) throw error;
      await policy.gate.wait(installationId);
      return send(request, options);
    }
  }) as never);
  return gh;
}

async function conditional(
  cache: ConditionalCache,
  scope: string,
  parsed: Parsed,
  request: Send,
  options: Options,
): Promise<CachedResponse> {
  if (parsed.method.toUpperCase() !== "GET") return request(options);
  const key = `${scope} ${parsed.headers["accept"] ?? ""} ${parsed.url}`;
  // The hooks inside this one see the options object it was given: the header is set on it.
  const headers = (options.headers ??= {});
  const etag = cache.etag(key);
  if (etag === undefined) delete headers["if-none-match"];
  else headers["if-none-match"] = etag;
  let response: CachedResponse;
  try {
    response = await request(options);
  } catch (error) {
    if (httpStatus(error) === 304) {
      const hit = cache.hit(key);
      if (hit) return hit;
      delete headers["if-none-match"];
      return request(options);
    }
    cache.forget(key);
    throw error;
  }
  if (response.status === 200 && wholeList(parsed.url, response.data, response.headers)) cache.keep(key, response, size(response));
  else cache.forget(key);
  return response;
}

/** Past this an answer is not kept, so it need not be measured further (see `ConditionalCache`). */
const MEASURE_UP_TO = 2 ** 20 + 1;

function size(response: CachedResponse): number {
  const length = Number(response.headers["content-length"]);
  if (Number.isFinite(length) && length > 0) return length;
  return approxSize(response.data, MEASURE_UP_TO);
}

/**
 * About how many bytes `value` takes as JSON, counted only up to `limit` (a 15 MB tree is not walked
 * to the end to learn that it is too big to keep).
 */
export function approxSize(value: unknown, limit: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total < limit) {
    const v = stack.pop();
    if (typeof v === "string") total += v.length + 2;
    else if (v === null || typeof v !== "object") total += 8;
    else if (Array.isArray(v)) {
      total += 2 + v.length;
      for (const item of v) stack.push(item);
    } else
      for (const [key, item] of Object.entries(v)) {
        total += key.length + 4;
        stack.push(item);
      }
  }
  return total;
}
