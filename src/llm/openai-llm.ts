import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import {
  chatBody,
  promptText,
  readChat,
  readResponse,
  responsesBody,
  type Api,
  type Conversation,
  type LimitParam,
  type Mode,
  type ReasoningEffort,
  type WireAnswer,
  type WireRequest,
} from "./openai-apis.js";
import {
  answersOnlyOnResponses,
  lacksResponsesApi,
  normaliseErrorBodies,
  rejectsParameter,
  rejectsResponseFormat,
  rejectsThisSchema,
  toLlmError,
} from "./openai-errors.js";
import {
  LlmBudgetExceededError,
  LlmOutputInvalidError,
  purposeId,
  type LlmPort,
  type LlmRole,
  type StructuredRequest,
  type StructuredResponse,
  type TokenUsage,
} from "./port.js";
import { parseStructured, repairMessage, shorterMessage } from "./structured-output.js";
import { countTokens } from "./tokens.js";

export type { Api, ReasoningEffort } from "./openai-apis.js";

/** Which API a role's model is asked on: `auto` picks one and moves on the server's refusal. */
export type ApiChoice = Api | "auto";
/** The output-limit parameter on Chat Completions: `auto` picks by server and switches on refusal. */
export type OutputLimitChoice = LimitParam | "auto";

/** A role's settings beyond its model. */
export interface RoleSettings {
  /** Default `auto`. */
  api?: ApiChoice;
  /** Sent as `reasoning_effort` (Chat Completions) or `reasoning.effort` (Responses); unset: not sent. */
  reasoningEffort?: ReasoningEffort | undefined;
  /** Default `auto`. */
  outputLimitParam?: OutputLimitChoice;
}

export interface OpenAiLlmOptions {
  /** Absent for servers that need none (a placeholder is sent). */
  apiKey?: string;
  /** Any OpenAI-compatible server (Azure, vLLM, Ollama…); the OpenAI API when absent. */
  baseURL?: string;
  models: { builder: string; auditor: string };
  /** Per role: API, reasoning effort, output-limit parameter. */
  roles?: Partial<Record<LlmRole, RoleSettings>>;
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

const DEFAULT_BASE_URL = "https://api.openai.com/v1";
const KEYLESS_PLACEHOLDER = "no-api-key";

/** OpenAI's own API (as opposed to a compatible server). */
export function isOpenAiServer(baseURL: string | undefined): boolean {
  return !baseURL || /^https:\/\/api\.openai\.com(\/|$)/.test(baseURL);
}

/**
 * The API `auto` tries first for a model. OpenAI's own API answers every model on the Responses
 * API, and Codex models (`gpt-5-codex`, `gpt-5.1-codex-mini`, …) answer only there, on OpenAI and on
 * Azure alike: Responses for those. Every other server speaks Chat Completions, while many (older
 * vLLM and Ollama, classic Azure deployments) lack `/responses`: Chat Completions for them.
 */
export function firstApiFor(model: string, openAiServer: boolean): Api {
  return openAiServer || /codex/i.test(model) ? "responses" : "chat";
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
  const openAiServer = isOpenAiServer(options.baseURL);
  const settingsOf = (role: LlmRole): RoleSettings => options.roles?.[role] ?? {};

  // What this server accepted, per model; a fallback, once needed, is kept for later calls.
  /** The API `auto` moved a model to after the server refused the other one. */
  const apis = new Map<string, Api>();
  /** Per API and model: the strongest answer format the server took. */
  const modes = new Map<string, Mode>();
  /** Per model, in `auto`: the output-limit parameter Chat Completions took. */
  const limitParams = new Map<string, LimitParam>();

  /** Makes each request's id unique, across processes too: OpenAI asks for one id per request. */
  const instance = randomBytes(3).toString("hex");
  let sentRequests = 0;

  const apiFor = (role: LlmRole, model: string): Api => {
    const chosen = settingsOf(role).api ?? "auto";
    return chosen !== "auto" ? chosen : (apis.get(model) ?? firstApiFor(model, openAiServer));
  };
  const limitParamFor = (role: LlmRole, model: string): LimitParam => {
    const chosen = settingsOf(role).outputLimitParam ?? "auto";
    if (chosen !== "auto") return chosen;
    return limitParams.get(model) ?? (openAiServer ? "max_completion_tokens" : "max_tokens");
  };

  /** One answer from the model, with this call's fallbacks; its usage is added to `usage` and spent. */
  async function callOnce<T>(
    req: StructuredRequest<T>,
    model: string,
    conversation: Conversation,
    usage: TokenUsage,
    callState: { mode?: Mode },
  ): Promise<WireAnswer> {
    const settings = settingsOf(req.role);
    const auto = (settings.api ?? "auto") === "auto";
    let apiSwitched = false;
    let limitSwitched = false;
    for (;;) {
      const api = apiFor(req.role, model);
      const mode = callState.mode ?? modes.get(`${api} ${model}`) ?? options.responseFormat ?? "json_schema";
      const limitParam = limitParamFor(req.role, model);
      const wire: WireRequest = {
        model,
        conversation,
        mode,
        schema: req.schema as WireRequest["schema"],
        schemaName: req.schemaName,
        maxOutputTokens: req.maxOutputTokens,
        limitParam,
        reasoningEffort: settings.reasoningEffort,
      };
      const prompt = promptText(wire);
      const needed = countTokens(prompt) + req.maxOutputTokens;
      if (needed > req.budget.remaining) throw new LlmBudgetExceededError(needed, req.budget.remaining);

      const requestId = `${purposeId(req.role, req.purpose)}#${instance}-${(sentRequests += 1)}`;
      log?.debug({ role: req.role, model, api, schema: req.schemaName, mode, estimate: needed, requestId }, "calling the model");
      // OpenAI keeps the client's id with the request (for tracing with its support); servers that
      // do not know the header ignore it. The SDK's own retries of this request send the same id.
      const headers = { "X-Client-Request-Id": requestId };

      let answer: WireAnswer;
      try {
        answer =
          api === "chat"
            ? readChat(await client.chat.completions.create(chatBody(wire), { headers }), model)
            : readResponse(await client.responses.create(responsesBody(wire), { headers }), model);
      } catch (err) {
        const wrongApi = api === "chat" ? answersOnlyOnResponses(err) : lacksResponsesApi(err);
        if (auto && !apiSwitched && wrongApi) {
          apiSwitched = true;
          const next: Api = api === "chat" ? "responses" : "chat";
          apis.set(model, next);
          const reason = err instanceof Error ? err.message : String(err);
          log?.warn(
            { model, from: api, to: next, reason },
            "the model server refused this API for the model; using the other one from now on",
          );
          continue;
        }
        if (mode !== "prompt_only" && rejectsResponseFormat(err)) {
          const next: Mode = mode === "json_schema" ? "json_object" : "prompt_only";
          const reason = err instanceof Error ? err.message : String(err);
          // A schema the server refused is this call's problem; a format it lacks, every call's.
          if (callState.mode || (mode === "json_schema" && rejectsThisSchema(err))) callState.mode = next;
          else modes.set(`${api} ${model}`, next);
          log?.warn({ model, api, from: mode, to: next, reason }, "the model server refused the response format; falling back");
          continue;
        }
        if (api === "chat" && (settings.outputLimitParam ?? "auto") === "auto" && !limitSwitched && rejectsParameter(err, limitParam)) {
          limitSwitched = true;
          const next: LimitParam = limitParam === "max_tokens" ? "max_completion_tokens" : "max_tokens";
          limitParams.set(model, next);
          log?.warn({ model, now: next }, "the model server refused the output-limit parameter; switching");
          continue;
        }
        throw toLlmError(err, errorContext);
      }

      const callUsage = usageOf(answer.reported, prompt, answer.content ?? answer.refusal ?? "");
      usage.prompt_tokens += callUsage.prompt_tokens;
      usage.completion_tokens += callUsage.completion_tokens;
      usage.total_tokens += callUsage.total_tokens;
      req.budget.spend(callUsage.total_tokens);
      log?.debug({ role: req.role, model, api, usage: callUsage, cutOff: answer.cutOff, requestId }, "model answered");
      return answer;
    }
  }

  return {
    async complete<T>(req: StructuredRequest<T>): Promise<StructuredResponse<T>> {
      const model = options.models[req.role];
      const usage: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
      const callState: { mode?: Mode } = {};
      let conversation: Conversation = { system: req.system, turns: [{ role: "user", content: req.user }] };
      for (let round = 1; ; round++) {
        const answer = await callOnce(req, model, conversation, usage, callState);
        if (answer.refusal) {
          throw new LlmOutputInvalidError(`the model refused to answer: ${answer.refusal}`, { ...usage });
        }
        const parsed = answer.cutOff
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
        const turns: Conversation["turns"] = answer.cutOff
          ? [...conversation.turns, { role: "user", content: shorterMessage(req.maxOutputTokens, req.schemaName) }]
          : [
              ...conversation.turns,
              { role: "assistant", content: answer.content ?? "" },
              { role: "user", content: repairMessage(parsed.problem, req.schemaName) },
            ];
        conversation = { ...conversation, turns };
      }
    },
  };
}

function usageOf(reported: WireAnswer["reported"], prompt: string, completion: string): TokenUsage {
  const prompt_tokens = finite(reported.prompt) ?? countTokens(prompt);
  const completion_tokens = finite(reported.completion) ?? countTokens(completion);
  const total_tokens = finite(reported.total) || prompt_tokens + completion_tokens;
  return { prompt_tokens, completion_tokens, total_tokens };
}

function finite(n: unknown): number | undefined {
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}
