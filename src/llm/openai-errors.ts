import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { redactSecrets } from "../policy/untrusted.js";
import { LlmUnavailableError } from "./port.js";

/** How the OpenAI adapter reads the model server's errors. */

const RETRIED_STATUSES = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/** Everything an error says: its message and the error body the server sent. */
function errorText(err: APIError): string {
  let body = "";
  try {
    body = err.error === undefined ? "" : JSON.stringify(err.error);
  } catch {
    body = "";
  }
  return `${err.message} ${body} ${err.param ?? ""}`;
}

function isRequestRejection(err: unknown): err is APIError {
  return err instanceof APIError && !(err instanceof APIConnectionError) && (err.status === 400 || err.status === 422);
}

/**
 * The server refused the answer's format (`response_format` on Chat Completions, `text.format` on the
 * Responses API): it lacks JSON-schema or JSON mode, or does not know the field.
 */
export function rejectsResponseFormat(err: unknown): boolean {
  return isRequestRejection(err) && /response_format|text\.format|json_schema|json_object|structured output|guided/i.test(errorText(err));
}

/**
 * Chat Completions refused the model because it answers only on the Responses API: OpenAI's
 * "This model is only supported in v1/responses and not in v1/chat/completions." (404) for Codex
 * models, and the same refusal in the words of proxies and Azure.
 */
export function answersOnlyOnResponses(err: unknown): boolean {
  if (!(err instanceof APIError) || err instanceof APIConnectionError) return false;
  if (err.status !== 400 && err.status !== 404) return false;
  return /only supported in v1\/responses|not supported in v1\/chat\/completions|unsupported_api_for_model|chatCompletion operation does not work/i.test(
    errorText(err),
  );
}

/**
 * The server has no Responses API (vLLM, Ollama and Azure deployments that predate it answer 404 or
 * 405 on `/responses`), as opposed to a model it does not know, which Chat Completions would not
 * know either.
 */
export function lacksResponsesApi(err: unknown): boolean {
  if (!(err instanceof APIError) || err instanceof APIConnectionError) return false;
  if (err.status !== 404 && err.status !== 405) return false;
  return !/does not exist|model_not_found|model not found|DeploymentNotFound/i.test(errorText(err));
}

/**
 * The server understood `json_schema` but refused this particular schema (OpenAI's strict mode does
 * not accept every JSON Schema): a property of the schema, not of the server.
 */
export function rejectsThisSchema(err: unknown): boolean {
  return rejectsResponseFormat(err) && /invalid schema|schema is invalid|invalid json ?schema/i.test(errorText(err as APIError));
}

/** The server does not accept the named output-limit parameter (`max_tokens` or `max_completion_tokens`). */
export function rejectsParameter(err: unknown, name: string): boolean {
  if (!isRequestRejection(err)) return false;
  const text = errorText(err);
  // "X is not supported … use Y instead": the refused name comes first.
  const other = name === "max_tokens" ? "max_completion_tokens" : "max_tokens";
  const at = text.indexOf(name);
  const otherAt = text.indexOf(other);
  const mentions = at >= 0 && (otherAt < 0 || at < otherAt);
  return mentions && /unsupported|not supported|unrecognized|unknown|not allowed|extra (?:inputs|fields)|not permitted/i.test(text);
}

export interface ErrorContext {
  timeoutMs: number;
  maxRetries: number;
  /** The API key, removed from any message. */
  secret?: string | undefined;
}

/** Maps the SDK's errors to `LlmUnavailableError`; anything else is returned unchanged. */
export function toLlmError(err: unknown, ctx: ErrorContext): unknown {
  const clean = (text: string) => {
    const masked = ctx.secret && ctx.secret.length >= 4 ? text.split(ctx.secret).join("[REDACTED]") : text;
    return redactSecrets(masked);
  };
  const retries = `${ctx.maxRetries} ${ctx.maxRetries === 1 ? "retry" : "retries"}`;
  if (err instanceof APIConnectionTimeoutError) {
    return new LlmUnavailableError(`the model server did not answer within ${ctx.timeoutMs / 1000} s (after ${retries})`);
  }
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? `: ${describeCause(err.cause)}` : "";
    return new LlmUnavailableError(clean(`could not reach the model server (after ${retries})${cause}`));
  }
  if (err instanceof APIError && typeof err.status === "number") {
    const status = err.status;
    const message = clean(err.message);
    if (RETRIED_STATUSES(status)) {
      return new LlmUnavailableError(`the model server kept failing: ${message} (after ${retries})`, status);
    }
    return new LlmUnavailableError(`the model server refused the request: ${message}`, status);
  }
  return err;
}

function describeCause(cause: Error): string {
  const inner = cause.cause instanceof Error ? cause.cause : undefined;
  const code = (inner as { code?: unknown } | undefined)?.code ?? (cause as { code?: unknown }).code;
  return typeof code === "string" ? `${cause.message} (${code})` : (inner?.message ?? cause.message);
}

/**
 * Wraps `fetch` so that error bodies in other servers' shapes (`{"message": …}` as older vLLM sends,
 * `{"detail": …}` as FastAPI sends) reach the SDK as `{"error": {"message": …}}`; the SDK would
 * otherwise drop them and report "(no body)".
 */
export function normaliseErrorBodies(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.ok || !(res.headers.get("content-type") ?? "").includes("json")) return res;
    const text = await res.text();
    let body = text;
    try {
      const data: unknown = JSON.parse(text);
      if (data && typeof data === "object" && !("error" in data)) {
        const message = "message" in data && typeof data.message === "string" ? data.message : text;
        body = JSON.stringify({ error: { message } });
      }
    } catch {
      body = text;
    }
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
