import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { countTokens } from "../../src/llm/tokens.js";

/**
 * An OpenAI-compatible model server for tests: real HTTP on 127.0.0.1, a random port, replies
 * scripted in order. Serves Chat Completions, the Responses API and the model list, each answer in
 * OpenAI's shape. Like OpenAI, it refuses Codex models on Chat Completions; like an older vLLM, it
 * can lack the Responses API.
 */

export type FakeApi = "chat" | "responses";

export interface FakeLlmOptions {
  /** The APIs the server has (default both); the other answers 404 `{"detail":"Not Found"}`, as vLLM does. */
  apis?: FakeApi[];
  /**
   * Models Chat Completions refuses with OpenAI's 404 "This model is only supported in v1/responses
   * and not in v1/chat/completions." Default: names containing `codex`, as OpenAI does.
   */
  responsesOnly?: (model: string) => boolean;
}

/** OpenAI's answer on Chat Completions for a model that answers only on the Responses API. */
export const RESPONSES_ONLY_MESSAGE = "This model is only supported in v1/responses and not in v1/chat/completions.";

export interface RecordedRequest {
  method: string;
  path: string;
  model: string | undefined;
  /** Chat messages; for the Responses API, `instructions` and `input` turned into messages. */
  messages: Array<{ role: string; content: string }>;
  response_format: unknown;
  body: Record<string, unknown>;
  /** Every message's content, joined with newlines. */
  prompt: string;
  /** Whether an Authorization header was sent (its value is not kept). */
  hasAuthorization: boolean;
  /** The `X-Client-Request-Id` header: what the client says the request is for. */
  clientRequestId: string | undefined;
  /** The HTTP status the fake answered (0 until it has). */
  status: number;
  /** The usage the fake reported with its answer, in Chat Completions' names. */
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

type FakeUsage = Partial<{ prompt_tokens: number; completion_tokens: number }> | null;

export type FakeReply =
  /** `usage: null` sends no usage at all. */
  | { json: unknown; usage?: FakeUsage; finishReason?: string }
  | { text: string; usage?: FakeUsage; finishReason?: string }
  | { refusal: string; usage?: FakeUsage }
  /** A string `body` becomes `{ error: { message } }`; an object is sent as it is. */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { delayMs: number; then: FakeReply }
  | ((req: RecordedRequest) => FakeReply);

export interface FakeLlm {
  baseURL: string;
  requests: RecordedRequest[];
  reply(...replies: FakeReply[]): void;
  fallback(handler: (req: RecordedRequest) => FakeReply): void;
  unexpected: string[];
  close(): Promise<void>;
}

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const apis = new Set<FakeApi>(options.apis ?? ["chat", "responses"]);
  const responsesOnly = options.responsesOnly ?? ((model: string) => /codex/i.test(model));
  const requests: RecordedRequest[] = [];
  const unexpected: string[] = [];
  const queue: FakeReply[] = [];
  let fallbackHandler: ((req: RecordedRequest) => FakeReply) | undefined;
  let counter = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    if (method === "GET" && path === "/v1/models") {
      const ids = new Set(["fake-model", ...requests.flatMap((r) => (r.model ? [r.model] : []))]);
      const data = [...ids].map((id) => ({ id, object: "model", created: 0, owned_by: "fake" }));
      return send(res, 200, { object: "list", data });
    }
    const kind = path === "/v1/chat/completions" ? "chat" : path === "/v1/responses" ? "responses" : undefined;
    if (method !== "POST" || !kind) {
      unexpected.push(`${method} ${path}`);
      return send(res, 404, errorBody(`no route ${method} ${path}`));
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await readBody(req));
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch (err) {
      unexpected.push(`${method} ${path}: unreadable body (${(err as Error).message})`);
      return send(res, 400, errorBody("request body is not a JSON object"));
    }
    const messages = kind === "chat" ? chatMessages(body.messages) : responsesMessages(body);
    const recorded: RecordedRequest = {
      method,
      path,
      model: typeof body.model === "string" ? body.model : undefined,
      messages,
      response_format: kind === "chat" ? body.response_format : (body.text as { format?: unknown } | undefined)?.format,
      body,
      prompt: messages.map((m) => m.content).join("\n"),
      hasAuthorization: typeof req.headers.authorization === "string" && req.headers.authorization.length > 0,
      clientRequestId: typeof req.headers["x-client-request-id"] === "string" ? req.headers["x-client-request-id"] : undefined,
      status: 0,
    };
    requests.push(recorded);
    const answer = (status: number, body: unknown, headers?: Record<string, string>) => {
      recorded.status = status;
      send(res, status, body, headers);
    };
    // Refusals of the server itself: they take no scripted reply.
    if (!apis.has(kind)) return answer(404, { detail: "Not Found" });
    if (kind === "chat" && recorded.model && responsesOnly(recorded.model)) {
      return answer(404, { error: { message: RESPONSES_ONLY_MESSAGE, type: "invalid_request_error", param: "model", code: null } });
    }
    if (body.stream === true) {
      unexpected.push(`${path}: streaming is not supported by the fake`);
      return answer(400, errorBody("streaming is not supported by the fake server"));
    }
    let reply: FakeReply | undefined = queue.shift() ?? fallbackHandler?.(recorded);
    if (reply === undefined) {
      unexpected.push(`${path}: no scripted reply for request #${requests.length}`);
      return answer(500, errorBody("no scripted reply"));
    }
    while (typeof reply === "function" || "delayMs" in reply) {
      if (typeof reply === "function") reply = reply(recorded);
      else {
        await new Promise((r) => setTimeout(r, (reply as { delayMs: number }).delayMs));
        reply = reply.then;
      }
    }
    if (res.destroyed) return;
    if ("status" in reply) {
      const errBody =
        typeof reply.body === "string" || reply.body === undefined
          ? errorBody(typeof reply.body === "string" ? reply.body : `fake error ${reply.status}`)
          : reply.body;
      return answer(reply.status, errBody, reply.headers);
    }
    counter += 1;
    const id = `fake-${counter}`;
    const model = recorded.model ?? "fake-model";
    const refusal = "refusal" in reply ? reply.refusal : null;
    const content = "json" in reply ? JSON.stringify(reply.json) : "text" in reply ? reply.text : null;
    const finish = "finishReason" in reply && reply.finishReason ? reply.finishReason : "stop";
    const usage = usageFor(recorded.prompt, content ?? refusal ?? "", reply.usage);
    if (usage) recorded.usage = usage;
    if (kind === "chat") {
      return answer(200, {
        id,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: "assistant", content, refusal }, logprobs: null, finish_reason: finish }],
        ...(usage ? { usage } : {}),
      });
    }
    const part = refusal !== null ? { type: "refusal", refusal } : { type: "output_text", text: content ?? "", annotations: [] };
    // The Responses API's object; `output_text` is the SDK's own addition, not the server's.
    const cut = finish === "length";
    return answer(200, {
      id: `resp_${id}`,
      object: "response",
      created_at: Math.floor(Date.now() / 1000),
      status: cut ? "incomplete" : "completed",
      error: null,
      incomplete_details: cut ? { reason: "max_output_tokens" } : null,
      instructions: typeof body.instructions === "string" ? body.instructions : null,
      max_output_tokens: typeof body.max_output_tokens === "number" ? body.max_output_tokens : null,
      model,
      output: [{ type: "message", id: `msg_${id}`, status: cut ? "incomplete" : "completed", role: "assistant", content: [part] }],
      parallel_tool_calls: true,
      reasoning: { effort: (body.reasoning as { effort?: unknown } | undefined)?.effort ?? null, summary: null },
      store: body.store !== false,
      text: { format: recorded.response_format ?? { type: "text" } },
      tool_choice: "auto",
      tools: [],
      ...(usage
        ? {
            usage: {
              input_tokens: usage.prompt_tokens,
              input_tokens_details: { cached_tokens: 0 },
              output_tokens: usage.completion_tokens,
              output_tokens_details: { reasoning_tokens: 0 },
              total_tokens: usage.total_tokens,
            },
          }
        : {}),
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      unexpected.push(`fake server error: ${String(err)}`);
      if (!res.headersSent) send(res, 500, errorBody("fake server error"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    unexpected,
    reply: (...replies) => void queue.push(...replies),
    fallback: (handler) => {
      fallbackHandler = handler;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function errorBody(message: string): unknown {
  return { error: { message, type: "invalid_request_error", param: null, code: null } };
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === "object" && "text" in p && typeof p.text === "string" ? p.text : "")).join("");
  }
  return "";
}

function chatMessages(raw: unknown): RecordedRequest["messages"] {
  if (!Array.isArray(raw)) return [];
  return raw.map((m: { role?: unknown; content?: unknown }) => ({
    role: typeof m?.role === "string" ? m.role : "unknown",
    content: textOf(m?.content),
  }));
}

function responsesMessages(body: Record<string, unknown>): RecordedRequest["messages"] {
  const out: RecordedRequest["messages"] = [];
  if (typeof body.instructions === "string") out.push({ role: "system", content: body.instructions });
  if (typeof body.input === "string") out.push({ role: "user", content: body.input });
  else out.push(...chatMessages(body.input));
  return out;
}

function usageFor(prompt: string, completion: string, given: FakeUsage | undefined) {
  if (given === null) return undefined;
  const prompt_tokens = given?.prompt_tokens ?? countTokens(prompt);
  const completion_tokens = given?.completion_tokens ?? countTokens(completion);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}
