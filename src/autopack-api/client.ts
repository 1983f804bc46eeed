import type { z } from "zod";
import type { MirrorCall } from "./calls.js";
import { errorDetail, renderErrorBody, renderZodError } from "./errors.js";
import { createRequester, TransientFailure, type ApiLogger, type Requester } from "./request.js";
import {
  AuditorRequestResponseSchema,
  AuditorRequestSchema,
  AuditorResultResponseSchema,
  AuditorResultSchema,
  BuilderResultResponseSchema,
  BuilderResultSchema,
  RunResponseSchema,
  RunStartRequestSchema,
  RunSummarySchema,
  type RunSummary,
} from "./schemas.js";

export type { ApiLogger } from "./request.js";
export type { MirrorCall } from "./calls.js";

/** `retryable: true`: keep the call pending and send it again later; `false`: it will never succeed as is. */
export type MirrorSendResult =
  { ok: true; status: number; response: unknown } | { ok: false; retryable: boolean; status?: number; error: string };

export interface AutopackApi {
  /** False when mirroring is off: every call is then taken at once and dropped. */
  readonly enabled: boolean;
  send(call: MirrorCall): Promise<MirrorSendResult>;
  /** Null on 404, when unreachable, or when the answer is not a summary. */
  runSummary(runId: string): Promise<RunSummary | null>;
  health(): Promise<boolean>;
}

export interface AutopackApiOptions {
  baseUrl: string;
  apiKey?: string;
  fetch?: typeof fetch;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 3. */
  retries?: number;
  /** First backoff delay; default 500 ms. */
  minRetryDelayMs?: number;
  /** Cap on any wait between attempts, `retry-after` included; default 20 s. */
  maxRetryDelayMs?: number;
  logger?: ApiLogger;
}

const enc = encodeURIComponent;

function pathOf(call: MirrorCall): string {
  if (call.op === "start") return "/runs/start";
  return `/runs/${enc(call.runId)}/phases/${enc(call.phaseId)}/${call.op}`;
}

const requestSchemas = {
  start: RunStartRequestSchema,
  builder_result: BuilderResultSchema,
  auditor_request: AuditorRequestSchema,
  auditor_result: AuditorResultSchema,
} satisfies Record<MirrorCall["op"], z.ZodType>;

const responseSchemas = {
  start: RunResponseSchema,
  builder_result: BuilderResultResponseSchema,
  auditor_request: AuditorRequestResponseSchema,
  auditor_result: AuditorResultResponseSchema,
} satisfies Record<MirrorCall["op"], z.ZodType>;

/** The service's 400 for a duplicate: `Run <id> already exists`. */
const ALREADY_EXISTS = /already exists/i;

function failure(error: unknown): MirrorSendResult {
  if (error instanceof TransientFailure) {
    return error.status === undefined
      ? { ok: false, retryable: true, error: error.message }
      : { ok: false, retryable: true, status: error.status, error: error.message };
  }
  return { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
}

export function createAutopackApi(options: AutopackApiOptions): AutopackApi {
  const log = options.logger;
  const request: Requester = createRequester({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 3,
    minRetryDelayMs: options.minRetryDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 20_000,
    logger: log,
  });

  /** A repeated start (redelivery, replay) is a success once the run is confirmed to exist. */
  async function confirmExistingRun(runId: string, detail: string): Promise<MirrorSendResult> {
    const path = `/runs/${enc(runId)}`;
    const answer = await request("GET", path);
    if (answer.status === 200) {
      log?.debug?.({ runId }, "run already mirrored; start treated as done");
      const run = RunResponseSchema.safeParse(answer.body);
      return { ok: true, status: 200, response: run.success ? run.data : answer.body };
    }
    return {
      ok: false,
      retryable: false,
      status: 400,
      error: `POST /runs/start answered 400: ${detail} (GET ${path} answered ${answer.status})`,
    };
  }

  async function send(call: MirrorCall): Promise<MirrorSendResult> {
    const path = pathOf(call);
    const checked = requestSchemas[call.op].safeParse(call.body);
    if (!checked.success) {
      // A bug in the mapper: sending it would only earn a 422.
      return { ok: false, retryable: false, error: `${call.op} body for ${path} is invalid: ${renderZodError(checked.error)}` };
    }
    try {
      const answer = await request("POST", path, checked.data);
      if (answer.status >= 200 && answer.status < 300) {
        const parsed = responseSchemas[call.op].safeParse(answer.body);
        if (!parsed.success) log?.warn?.({ op: call.op, path, problem: renderZodError(parsed.error) }, "unexpected orchestrator answer");
        return { ok: true, status: answer.status, response: parsed.success ? parsed.data : answer.body };
      }
      const detail = errorDetail(answer.body);
      if (call.op === "start" && answer.status === 400 && detail !== null && ALREADY_EXISTS.test(detail)) {
        return await confirmExistingRun(call.runId, detail);
      }
      return {
        ok: false,
        retryable: false,
        status: answer.status,
        error: `POST ${path} answered ${answer.status}: ${renderErrorBody(answer.body)}`,
      };
    } catch (error) {
      return failure(error);
    }
  }

  async function runSummary(runId: string): Promise<RunSummary | null> {
    const path = `/reports/run_summary/${enc(runId)}`;
    try {
      const answer = await request("GET", path);
      if (answer.status !== 200) {
        if (answer.status !== 404)
          log?.warn?.({ path, status: answer.status, error: renderErrorBody(answer.body) }, "run summary not read");
        return null;
      }
      const parsed = RunSummarySchema.safeParse(answer.body);
      if (!parsed.success) {
        log?.warn?.({ path, problem: renderZodError(parsed.error) }, "unexpected run summary");
        return null;
      }
      return parsed.data;
    } catch {
      return null;
    }
  }

  async function health(): Promise<boolean> {
    try {
      const answer = await request("GET", "/health", undefined, 0);
      return answer.status === 200;
    } catch {
      return false;
    }
  }

  return { enabled: true, send, runSummary, health };
}
