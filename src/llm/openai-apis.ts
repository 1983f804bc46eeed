import type OpenAI from "openai";
import { zodResponseFormat, zodTextFormat } from "openai/helpers/zod";
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ResponseCreateParamsNonStreaming, ResponseInputItem, ResponseTextConfig } from "openai/resources/responses/responses";
import type { z } from "zod";
import { schemaInstructions } from "./structured-output.js";

/**
 * The two OpenAI APIs a model may answer on, as the adapter speaks them: one conversation in, one
 * answer out. Chat Completions (`/chat/completions`: every compatible server has it) and the
 * Responses API (`/responses`: OpenAI's own API, the only one Codex models answer on).
 */

export type Api = "chat" | "responses";
/** How the answer's shape is requested, from strongest to weakest. */
export type Mode = "json_schema" | "json_object" | "prompt_only";
/** The output-limit parameter of Chat Completions (the Responses API has only `max_output_tokens`). */
export type LimitParam = "max_tokens" | "max_completion_tokens";
/** The reasoning effort of reasoning models, as the SDK names its values. */
export type ReasoningEffort = "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max";

/** Trusted instructions, then the turns so far (the task, and in a repair round the answer and what is wrong). */
export interface Conversation {
  system: string;
  turns: Array<{ role: "user" | "assistant"; content: string }>;
}

export interface WireRequest {
  model: string;
  conversation: Conversation;
  mode: Mode;
  schema: z.ZodType<unknown>;
  schemaName: string;
  maxOutputTokens: number;
  /** Chat Completions only. */
  limitParam: LimitParam;
  reasoningEffort?: ReasoningEffort | undefined;
}

/** The model's answer, whichever API gave it. */
export interface WireAnswer {
  content: string | null;
  refusal: string | null;
  /** The answer stopped at the output limit. */
  cutOff: boolean;
  model: string;
  /** Tokens as the server reported them; absent when it did not. */
  reported: { prompt?: unknown; completion?: unknown; total?: unknown };
}

/** The system text as sent: with the schema spelled out when the server does not enforce it. */
export function systemText(req: WireRequest): string {
  const { system } = req.conversation;
  return req.mode === "json_schema" ? system : `${system}${schemaInstructions(req.schemaName, jsonSchemaOf(req))}`;
}

/** Everything the prompt holds, for the token estimate. */
export function promptText(req: WireRequest): string {
  return [systemText(req), ...req.conversation.turns.map((t) => t.content)].join("\n");
}

export function chatBody(req: WireRequest): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatCompletionMessageParam[] = [
    { role: "system", content: systemText(req) },
    ...req.conversation.turns.map((t) => ({ role: t.role, content: t.content })),
  ];
  const body: ChatCompletionCreateParamsNonStreaming = { model: req.model, messages, [req.limitParam]: req.maxOutputTokens };
  if (req.mode === "json_schema") body.response_format = chatFormat(req);
  else if (req.mode === "json_object") body.response_format = { type: "json_object" };
  if (req.reasoningEffort) body.reasoning_effort = req.reasoningEffort;
  return body;
}

export function responsesBody(req: WireRequest): ResponseCreateParamsNonStreaming {
  const input: ResponseInputItem[] = req.conversation.turns.map((t) => ({ role: t.role, content: t.content }));
  const body: ResponseCreateParamsNonStreaming = {
    model: req.model,
    instructions: systemText(req),
    input,
    max_output_tokens: req.maxOutputTokens,
    // Chat Completions keeps nothing by default; the Responses API keeps responses unless told not to.
    store: false,
  };
  if (req.mode === "json_schema") body.text = { format: responsesFormat(req) };
  else if (req.mode === "json_object") body.text = { format: { type: "json_object" } } satisfies ResponseTextConfig;
  if (req.reasoningEffort) body.reasoning = { effort: req.reasoningEffort };
  return body;
}

export function readChat(completion: OpenAI.Chat.Completions.ChatCompletion, model: string): WireAnswer {
  const choice = (completion.choices ?? [])[0];
  return {
    content: choice?.message.content ?? null,
    refusal: choice?.message.refusal ?? null,
    cutOff: choice?.finish_reason === "length",
    model: completion.model || model,
    reported: {
      prompt: completion.usage?.prompt_tokens,
      completion: completion.usage?.completion_tokens,
      total: completion.usage?.total_tokens,
    },
  };
}

/** The text of the answer's `message` items (reasoning items are skipped), or its refusal. */
export function readResponse(response: OpenAI.Responses.Response, model: string): WireAnswer {
  const texts: string[] = [];
  const refusals: string[] = [];
  for (const item of response.output ?? []) {
    if (item.type !== "message") continue;
    for (const part of item.content ?? []) {
      if (part.type === "output_text") texts.push(part.text);
      else if (part.type === "refusal") refusals.push(part.refusal);
    }
  }
  return {
    content: texts.length > 0 ? texts.join("") : null,
    refusal: refusals.length > 0 ? refusals.join("\n") : null,
    cutOff: response.status === "incomplete" && response.incomplete_details?.reason === "max_output_tokens",
    model: response.model || model,
    reported: {
      prompt: response.usage?.input_tokens,
      completion: response.usage?.output_tokens,
      total: response.usage?.total_tokens,
    },
  };
}

type Schema = Pick<WireRequest, "schema" | "schemaName">;

/** A schema the zod helper cannot turn into a strict JSON schema is the caller's bug: said with its name. */
function withSchemaName<T>(req: Schema, make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw new TypeError(`schema ${req.schemaName} cannot be used for structured output: ${(err as Error).message}`);
  }
}

type ChatFormat = ReturnType<typeof zodResponseFormat>;
type ResponsesFormat = ReturnType<typeof zodTextFormat>;

/**
 * The formats made for a schema, by name: turning a zod schema into JSON schema costs more than the rest
 * of the request's body, and the Builder and the Auditor send the same few schemas in every call.
 */
const formats = new WeakMap<object, Map<string, { chat?: ChatFormat; responses?: ResponsesFormat }>>();

function madeFor(req: Schema): { chat?: ChatFormat; responses?: ResponsesFormat } {
  let byName = formats.get(req.schema);
  if (!byName) formats.set(req.schema, (byName = new Map()));
  let made = byName.get(req.schemaName);
  if (!made) byName.set(req.schemaName, (made = {}));
  return made;
}

function chatFormat(req: Schema): ChatFormat {
  const made = madeFor(req);
  return (made.chat ??= withSchemaName(req, () => zodResponseFormat(req.schema, req.schemaName)));
}

function responsesFormat(req: Schema): ResponsesFormat {
  const made = madeFor(req);
  return (made.responses ??= withSchemaName(req, () => zodTextFormat(req.schema, req.schemaName)));
}

function jsonSchemaOf(req: Schema): unknown {
  return chatFormat(req).json_schema.schema;
}

/**
 * The strict JSON schema sent for a zod schema, in each API's wrapping. Throws when OpenAI's strict
 * structured outputs cannot take the schema (the zod helper refuses it).
 */
export function structuredFormats(schema: z.ZodType<unknown>, schemaName: string) {
  return { chat: chatFormat({ schema, schemaName }), responses: responsesFormat({ schema, schemaName }) };
}
