import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { normaliseErrorBodies, rejectsParameter, rejectsResponseFormat, rejectsThisSchema, toLlmError } from "./openai-errors.js";
import {
  LlmBudgetExceededError,
  LlmOutputInvalidError,
  purposeId,
  type LlmPort,
  type StructuredRequest,
  type StructuredResponse,
  type TokenUsage,
} from "./port.js";
import { parseStructured, repairMessage, schemaInstructions, shorterMessage } from "./structured-output.js";
import { countTokens } from "./tokens.js";

export interface OpenAiLlmOptions {
  /** Absent for servers that need none (a placeholder is sent). */
  apiKey?: string;
  /** Any OpenAI-compatible server (Azure, vLLM, Ollama…); the OpenAI API when absent. */
  baseURL?: string;
  models: { builder: string; auditor: string };
  /** Per HTTP attempt; default 120 s. */
  timeoutMs?: number;
  /** Retries of 408/409/429/5xx and connection errors, by the SDK (honours retry-after); default 2. */
  maxRetries?: number;
  logger?: { debug(o: object, m?: string): void; warn(o: object, m?: string): void };
  fetch?: typeof fetch;
  /**
   * `json_object` for servers known to lack JSON-schema output: JSON mode with the schema in the
   * system prompt. Default `json_schema`, which falls back by itself when the server refuses it.
   */
  responseFormat?: "json_schema" | "json_object";
}

/** How the answer's shape is requested, from strongest to weakest. */
type Mode = "json_schema" | "json_object" | "prompt_only";
type LimitParam = "max_tokens" | "max_completion_tokens";

const DEFAULT_BASE_URL = "https://api.openai.com/v1";
const KEYLESS_PLACEHOLDER = "no-api-key";

interface Answer {
  content: string | null;
  refusal: string | null;
  finishReason: string | null;
  model: string;
}

export function createOpenAiLlm(options: OpenAiLlmOptions): LlmPort {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxRetries = options.maxRetries ?? 2;
  const log = options.logger;
  const client = new OpenAI({
    apiKey: options.apiKey || KEYLESS_PLACEHOLDER,
    baseURL: options.baseURL ?? DEFAULT_BASE_URL,
    timeout: timeoutMs,
    maxRetries,
    fetch: normaliseErrorBodies(options.fetch ?? globalThis.fetch),
    // The SDK's debug lines carry request bodies (prompts): only its status lines are kept, at debug.
    logLevel: "info",
    logger: {
      error: (m: string) => log?.warn({ component: "openai" }, String(m)),
      warn: (m: string) => log?.warn({ component: "openai" }, String(m)),
      info: (m: string) => log?.debug({ component: "openai" }, String(m)),
      debug: () => undefined,
    },
  });
  const errorContext = { timeoutMs, maxRetries, secret: options.apiKey };
  /** Per model: what this server accepted; a fallback, once needed, is kept for later calls. */
  const modes = new Map<string, Mode>();
  const officialApi = !options.baseURL || /^https:\/\/api\.openai\.com\//.test(options.baseURL);
  let limitParam: LimitParam = officialApi ? "max_completion_tokens" : "max_tokens";
  /** Makes each request's id unique, across processes too: OpenAI asks for one id per request. */
  const instance = randomBytes(3).toString("hex");
  let sentRequests = 0;

  async function callOnce<T>(
    req: StructuredRequest<T>,
    model: string,
    messages: ChatCompletionMessageParam[],
    usage: TokenUsage,
    callState: { mode?: Mode },
  ): Promise<Answer> {
    const format = responseFormatFor(req);
    let limitSwitched = false;
    for (;;) {
      const mode = callState.mode ?? modes.get(model) ?? options.responseFormat ?? "json_schema";
      const sent = mode === "json_schema" ? messages : withSchemaInSystem(messages, req.schemaName, format.json_schema.schema);
      const promptText = sent.map((m) => (typeof m.content === "string" ? m.content : "")).join("\n");
      const needed = countTokens(promptText) + req.maxOutputTokens;
      if (needed > req.budget.remaining) throw new LlmBudgetExceededError(needed, req.budget.remaining);

      const body: ChatCompletionCreateParamsNonStreaming = { model, messages: sent, [limitParam]: req.maxOutputTokens };
      if (mode === "json_schema") body.response_format = format;
      else if (mode === "json_object") body.response_format = { type: "json_object" };
      const requestId = `${purposeId(req.role, req.purpose)}#${instance}-${(sentRequests += 1)}`;
      log?.debug({ role: req.role, model, schema: req.schemaName, mode, estimate: needed, requestId }, "calling the model");

      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        // OpenAI keeps the client's id with the request (for tracing with its support); servers that
        // do not know the header ignore it. The SDK's own retries of this request send the same id.
        completion = await client.chat.completions.create(body, { headers: { "X-Client-Request-Id": requestId } });
      } catch (err) {
        if (mode !== "prompt_only" && rejectsResponseFormat(err)) {
          const next: Mode = mode === "json_schema" ? "json_object" : "prompt_only";
          const reason = err instanceof Error ? err.message : String(err);
          // A schema the server refused is this call's problem; a format it lacks, every call's.
          if (callState.mode || (mode === "json_schema" && rejectsThisSchema(err))) callState.mode = next;
          else modes.set(model, next);
          log?.warn({ model, from: mode, to: next, reason }, "the model server refused the response format; falling back");
          continue;
        }
        if (!limitSwitched && rejectsParameter(err, limitParam)) {
          limitSwitched = true;
          limitParam = limitParam === "max_tokens" ? "max_completion_tokens" : "max_tokens";
          log?.warn({ model, now: limitParam }, "the model server refused the output-limit parameter; switching");
          continue;
        }
        throw toLlmError(err, errorContext);
      }

      const choice = (completion.choices ?? [])[0];
      const content = choice?.message.content ?? null;
      const callUsage = usageOf(completion.usage, promptText, content ?? choice?.message.refusal ?? "");
      usage.prompt_tokens += callUsage.prompt_tokens;
      usage.completion_tokens += callUsage.completion_tokens;
      usage.total_tokens += callUsage.total_tokens;
      req.budget.spend(callUsage.total_tokens);
      log?.debug({ role: req.role, model, usage: callUsage, finishReason: choice?.finish_reason ?? null, requestId }, "model answered");
      return {
        content,
        refusal: choice?.message.refusal ?? null,
        finishReason: choice?.finish_reason ?? null,
        model: completion.model || model,
      };
    }
  }

  return {
    async complete<T>(req: StructuredRequest<T>): Promise<StructuredResponse<T>> {
      const model = options.models[req.role];
      const usage: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
      const callState: { mode?: Mode } = {};
      let messages: ChatCompletionMessageParam[] = [
        { role: "system", content: req.system },
        { role: "user", content: req.user },
      ];
      for (let round = 1; ; round++) {
        const answer = await callOnce(req, model, messages, usage, callState);
        if (answer.refusal) {
          throw new LlmOutputInvalidError(`the model refused to answer: ${answer.refusal}`, { ...usage });
        }
        const cutOff = answer.finishReason === "length";
        const parsed = cutOff
          ? ({ ok: false, problem: `the answer was cut off at the limit of ${req.maxOutputTokens} output tokens` } as const)
          : parseStructured(answer.content, req.schema);
        if (parsed.ok) return { value: parsed.value, usage, model: answer.model };
        if (round >= 2) {
          throw new LlmOutputInvalidError(
            `the model's answer did not match the schema ${req.schemaName}, twice; last problem: ${parsed.problem}`,
            { ...usage },
          );
        }
        log?.warn({ role: req.role, model, schema: req.schemaName, problem: parsed.problem }, "invalid model output; asking once more");
        messages = cutOff
          ? [...messages, { role: "user", content: shorterMessage(req.maxOutputTokens, req.schemaName) }]
          : [
              ...messages,
              { role: "assistant", content: answer.content ?? "" },
              { role: "user", content: repairMessage(parsed.problem, req.schemaName) },
            ];
      }
    },
  };
}

function responseFormatFor<T>(req: StructuredRequest<T>) {
  try {
    return zodResponseFormat(req.schema, req.schemaName);
  } catch (err) {
    throw new TypeError(`schema ${req.schemaName} cannot be used for structured output: ${(err as Error).message}`);
  }
}

function withSchemaInSystem(messages: ChatCompletionMessageParam[], name: string, schema: unknown): ChatCompletionMessageParam[] {
  return messages.map((m, i) =>
    i === 0 && m.role === "system" ? { role: "system", content: `${String(m.content)}${schemaInstructions(name, schema)}` } : m,
  );
}

function usageOf(reported: OpenAI.Completions.CompletionUsage | undefined | null, prompt: string, completion: string): TokenUsage {
  const prompt_tokens = finite(reported?.prompt_tokens) ?? countTokens(prompt);
  const completion_tokens = finite(reported?.completion_tokens) ?? countTokens(completion);
  const total_tokens = finite(reported?.total_tokens) || prompt_tokens + completion_tokens;
  return { prompt_tokens, completion_tokens, total_tokens };
}

function finite(n: unknown): number | undefined {
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}
