import pRetry from "p-retry";
import { renderErrorBody } from "./errors.js";

/** Pino-compatible: Probot's `app.log` fits. */
export type ApiLogFn = (fields: Record<string, unknown>, message: string) => void;
export interface ApiLogger {
  debug?: ApiLogFn;
  info?: ApiLogFn;
  warn?: ApiLogFn;
}

export interface RequestSettings {
  baseUrl: string;
  apiKey?: string;
  fetch: typeof fetch;
  /** Per attempt, including reading the answer. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  minRetryDelayMs: number;
  /** Upper bound of any wait between attempts, `retry-after` included. */
  maxRetryDelayMs: number;
  logger?: ApiLogger;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** A failure worth trying again: network error, timeout, 5xx or 429. Thrown once retries are spent. */
export class TransientFailure extends Error {
  override readonly name = "TransientFailure";
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** `retry-after` in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return `no answer within ${timeoutMs} ms`;
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const detail = cause?.code ?? cause?.message;
    return typeof detail === "string" && detail !== "" ? `${error.message} (${detail})` : error.message;
  }
  return String(error);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type Requester = (method: "GET" | "POST", path: string, body?: unknown, retries?: number) => Promise<HttpAnswer>;

/**
 * One HTTP exchange with retries (p-retry, exponential backoff with jitter). Answers every status
 * that is not worth retrying (2xx, 3xx, 4xx but 429); throws `TransientFailure` when the retries are spent.
 * The API key goes in `X-API-Key` and is never logged.
 */
export function createRequester(settings: RequestSettings): Requester {
  const base = settings.baseUrl.replace(/\/+$/, "");
  const log = settings.logger;

  return async (method, path, body, retries = settings.retries) => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (settings.apiKey) headers["x-api-key"] = settings.apiKey;
    const payload = body === undefined ? undefined : JSON.stringify(body);

    const attempt = async (): Promise<HttpAnswer> => {
      let status: number;
      let answer: unknown;
      let retryAfter: string | null;
      try {
        const response = await settings.fetch(`${base}${path}`, {
          method,
          headers,
          body: payload,
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
        status = response.status;
        retryAfter = response.headers.get("retry-after");
        answer = await readBody(response);
      } catch (error) {
        throw new TransientFailure(`${method} ${path}: ${describeFetchError(error, settings.timeoutMs)}`);
      }
      if (status >= 500 || status === 429) {
        const rendered = renderErrorBody(answer);
        throw new TransientFailure(
          `${method} ${path} answered ${status}${rendered === "" ? "" : `: ${rendered}`}`,
          status,
          parseRetryAfter(retryAfter),
        );
      }
      return { status, body: answer };
    };

    return pRetry(attempt, {
      retries,
      factor: 2,
      minTimeout: settings.minRetryDelayMs,
      maxTimeout: settings.maxRetryDelayMs,
      randomize: true,
      shouldRetry: ({ error }) => error instanceof TransientFailure,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (!(error instanceof TransientFailure)) return;
        log?.warn?.(
          { method, path, attempt: attemptNumber, retriesLeft, status: error.status, error: error.message },
          retriesLeft > 0 ? "orchestrator call failed; retrying" : "orchestrator call failed; giving up for now",
        );
        // Honour the service's `retry-after` (capped); p-retry's own backoff comes on top.
        if (retriesLeft > 0 && error.retryAfterMs !== undefined) await sleep(Math.min(error.retryAfterMs, settings.maxRetryDelayMs));
      },
    });
  };
}
