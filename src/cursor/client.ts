import pRetry from "p-retry";
import type { z } from "zod";
import { redactSecrets } from "../policy/outbound.js";
import { CursorError, refusal } from "./errors.js";
import {
  CreatedAgentSchema,
  CreatedRunSchema,
  CursorAgentSchema,
  CursorRunSchema,
  ErrorBodySchema,
  UsageSchema,
  type CursorAgent,
  type CursorRun,
} from "./schemas.js";

/** How an agent is followed to its end: polls from `minMs`, doubling to `maxMs`, for at most `maxWaitMs`. */
export interface FollowSettings {
  minMs: number;
  maxMs: number;
  maxWaitMs: number;
}

export interface CursorSettings {
  /** `CURSOR_API_URL` (default {@link CURSOR_API_DEFAULT_URL}). */
  baseUrl: string;
  /** `CURSOR_API_KEY`; sent with HTTP Basic authentication, never logged or written anywhere. */
  apiKey: string;
  fetch?: typeof fetch;
  /** Per request. */
  timeoutMs?: number;
  /** Retries of a request after a 429, a 5xx or a network failure. */
  retries?: number;
  minRetryDelayMs?: number;
  /** Upper bound of a wait between retries, Cursor's `Retry-After` included. */
  maxRetryDelayMs?: number;
  follow?: Partial<FollowSettings>;
}

export const CURSOR_API_DEFAULT_URL = "https://api.cursor.com";

export interface LaunchInput {
  /** Caller-chosen, so that a repeated launch is refused (409) instead of starting a second agent. */
  agentId: string;
  prompt: string;
  /** `https://github.com/<owner>/<repo>` */
  repository: string;
  /** Where the agent starts (a commit sha or a branch). */
  startingRef: string;
  /** The branch it pushes to. */
  branchName: string;
}

export type Launched = { created: true; agent: CursorAgent; run: CursorRun } | { created: false };
export type FollowUp = { created: true; run: CursorRun } | { busy: true };

/** Cursor's Cloud Agents API, v1 (agents with runs), as the Builder uses it. */
export interface CursorApi {
  readonly follow: FollowSettings;
  /** Creates the agent and its first run; `created: false` when an agent with this id exists (409). */
  launch(input: LaunchInput): Promise<Launched>;
  /** The agent, or null when Cursor has none with this id. */
  agent(agentId: string): Promise<CursorAgent | null>;
  run(agentId: string, runId: string): Promise<CursorRun>;
  /** A follow-up run; `busy` while another run of the agent is going (409 `agent_busy`). */
  followUp(agentId: string, prompt: string): Promise<FollowUp>;
  cancel(agentId: string, runId: string): Promise<void>;
  /** Tokens the run used as Cursor reports them, or null when it reports none. */
  tokens(agentId: string, runId: string): Promise<number | null>;
}

/** A 429, a 5xx or a network failure: tried again, then reported as what it is. */
class Transient extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value.trim()) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  body: unknown;
}

export function createCursorApi(settings: CursorSettings): CursorApi {
  const base = settings.baseUrl.replace(/\/+$/, "");
  const doFetch = settings.fetch ?? fetch;
  const timeoutMs = settings.timeoutMs ?? 30_000;
  const maxRetryDelayMs = settings.maxRetryDelayMs ?? 60_000;
  const authorization = `Basic ${Buffer.from(`${settings.apiKey}:`).toString("base64")}`;
  const follow: FollowSettings = { minMs: 5_000, maxMs: 60_000, maxWaitMs: 45 * 60_000, ...settings.follow };

  /** Cursor's words, without the key or anything secret-shaped, on one short line. */
  const clean = (text: string): string =>
    redactSecrets(settings.apiKey === "" ? text : text.split(settings.apiKey).join("[key]"))
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 300);
  const detailOf = (body: unknown): string => {
    if (typeof body === "string") return clean(body);
    const parsed = ErrorBodySchema.safeParse(body);
    if (!parsed.success) return "";
    const { error, code, message } = parsed.data;
    return clean([error ?? code, message].filter((s) => s).join(": "));
  };

  /** One request: 2xx, 404 and 409 are answers; 429 and 5xx are retried; any other status is a precise error. */
  const request = async (
    method: "GET" | "POST",
    path: string,
    what: string,
    body?: unknown,
    repository: string | null = null,
  ): Promise<Answer> => {
    const attempt = async (): Promise<Answer> => {
      let response: Response;
      let text: string;
      try {
        response = await doFetch(`${base}${path}`, {
          method,
          headers: {
            authorization,
            accept: "application/json",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        const reason =
          error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
            ? `no answer within ${timeoutMs} ms`
            : clean(String((error as { cause?: unknown })?.cause ?? error));
        throw new Transient(`Cursor's API could not be reached while ${what}: ${reason}`, null, undefined);
      }
      let parsed: unknown = text;
      try {
        parsed = text === "" ? null : (JSON.parse(text) as unknown);
      } catch {
        // Not JSON: kept as text for the error message.
      }
      const status = response.status;
      if (status === 429 || status >= 500) {
        const detail = detailOf(parsed);
        throw new Transient(
          status === 429
            ? `Cursor's API kept answering 429 (rate limited) while ${what}${detail ? ` (Cursor said: ${detail})` : ""}; the attempt will be tried again later`
            : `Cursor's API failed while ${what} (${status})${detail ? `: ${detail}` : ""}`,
          status,
          retryAfterMs(response.headers.get("retry-after")),
        );
      }
      if ((status >= 200 && status < 300) || status === 404 || status === 409) return { status, body: parsed };
      throw refusal(status, detailOf(parsed), what, repository);
    };
    try {
      return await pRetry(attempt, {
        retries: settings.retries ?? 4,
        factor: 2,
        minTimeout: settings.minRetryDelayMs ?? 1_000,
        maxTimeout: maxRetryDelayMs,
        randomize: true,
        shouldRetry: ({ error }) => error instanceof Transient,
        onFailedAttempt: async ({ error, retriesLeft }) => {
          // Cursor's Retry-After is honoured (capped); p-retry's own backoff comes on top.
          if (retriesLeft > 0 && error instanceof Transient && error.retryAfterMs !== undefined)
            await sleep(Math.min(error.retryAfterMs, maxRetryDelayMs));
        },
      });
    } catch (error) {
      if (error instanceof Transient)
        throw new CursorError(error.status === 429 ? "rate-limited" : "unavailable", error.message, error.status);
      throw error;
    }
  };

  const read = <S extends z.ZodType>(schema: S, answer: Answer, what: string): z.infer<S> => {
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success)
      throw new CursorError(
        "bad-answer",
        `Cursor's API answered ${what} with an unexpected body: ${parsed.error.issues[0]?.message ?? "invalid"}`,
        answer.status,
      );
    return parsed.data;
  };
  const id = (value: string) => encodeURIComponent(value);

  return {
    follow,
    async launch(input) {
      const what = "launching the agent";
      const answer = await request(
        "POST",
        "/v1/agents",
        what,
        {
          agentId: input.agentId,
          prompt: { text: input.prompt },
          repos: [{ url: input.repository, startingRef: input.startingRef }],
          branchName: input.branchName,
          autoCreatePR: false,
        },
        input.repository,
      );
      if (answer.status === 409) return { created: false };
      if (answer.status === 404) throw refusal(404, detailOf(answer.body) || "repository not found", what, input.repository);
      const created = read(CreatedAgentSchema, answer, what);
      return { created: true, agent: created.agent, run: created.run };
    },
    async agent(agentId) {
      const answer = await request("GET", `/v1/agents/${id(agentId)}`, "reading the agent");
      if (answer.status === 404) return null;
      return read(CursorAgentSchema, answer, "reading the agent");
    },
    async run(agentId, runId) {
      const what = "following the agent's run";
      const answer = await request("GET", `/v1/agents/${id(agentId)}/runs/${id(runId)}`, what);
      if (answer.status !== 200)
        throw new CursorError("refused", `Cursor has no run ${runId} of agent ${agentId} (${answer.status})`, answer.status);
      return read(CursorRunSchema, answer, what);
    },
    async followUp(agentId, prompt) {
      const what = "sending the agent a follow-up";
      const answer = await request("POST", `/v1/agents/${id(agentId)}/runs`, what, { prompt: { text: prompt } });
      if (answer.status === 409) return { busy: true };
      if (answer.status === 404) throw new CursorError("refused", `Cursor has no agent ${agentId} to send a follow-up to (404)`, 404);
      return { created: true, run: read(CreatedRunSchema, answer, what).run };
    },
    async cancel(agentId, runId) {
      await request("POST", `/v1/agents/${id(agentId)}/runs/${id(runId)}/cancel`, "cancelling the agent's run");
    },
    async tokens(agentId, runId) {
      const answer = await request("GET", `/v1/agents/${id(agentId)}/usage?runId=${id(runId)}`, "reading the run's usage");
      if (answer.status !== 200) return null;
      const usage = UsageSchema.safeParse(answer.body);
      if (!usage.success) return null;
      const entry = usage.data.runs.find((r) => r.runId === runId) ?? usage.data.runs[0];
      const u = entry?.usage;
      if (!u) return null;
      return u.totalTokens ?? (u.inputTokens ?? 0) + (u.outputTokens ?? 0);
    },
  };
}
