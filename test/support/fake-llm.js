import { createServer } from "node:http";
import { countTokens } from "../../src/llm/tokens.js";
export async function startFakeLlm() {
  const requests = [];
  const unexpected = [];
  const queue = [];
  let fallbackHandler;
  let counter = 0;
  const handle = async (req, res) => {
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
    let body;
    try {
      const parsed = JSON.parse(await readBody(req));
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      body = parsed;
    } catch (err) {
      unexpected.push(`${method} ${path}: unreadable body (${err.message})`);
      return send(res, 400, errorBody("request body is not a JSON object"));
    }
    const messages = kind === "chat" ? chatMessages(body.messages) : responsesMessages(body);
    const recorded = {
      method,
      path,
      model: typeof body.model === "string" ? body.model : undefined,
      messages,
      response_format: kind === "chat" ? body.response_format : body.text?.format,
      body,
      prompt: messages.map((m) => m.content).join("\n"),
      hasAuthorization: typeof req.headers.authorization === "string" && req.headers.authorization.length > 0,
    };
    requests.push(recorded);
    if (body.stream === true) {
      unexpected.push(`${path}: streaming is not supported by the fake`);
      return send(res, 400, errorBody("streaming is not supported by the fake server"));
    }
    let reply = queue.shift() ?? fallbackHandler?.(recorded);
    if (reply === undefined) {
      unexpected.push(`${path}: no scripted reply for request #${requests.length}`);
      return send(res, 500, errorBody("no scripted reply"));
    }
    while (typeof reply === "function" || "delayMs" in reply) {
      if (typeof reply === "function") reply = reply(recorded);
      else {
        await new Promise((r) => setTimeout(r, reply.delayMs));
        reply = reply.then;
      }
    }
    if (res.destroyed) return;
    if ("status" in reply) {
      const errBody =
        typeof reply.body === "string" || reply.body === undefined
          ? errorBody(typeof reply.body === "string" ? reply.body : `fake error ${reply.status}`)
          : reply.body;
      return send(res, reply.status, errBody, reply.headers);
    }
    counter += 1;
    const id = `fake-${counter}`;
    const model = recorded.model ?? "fake-model";
    const refusal = "refusal" in reply ? reply.refusal : null;
    const content = "json" in reply ? JSON.stringify(reply.json) : "text" in reply ? reply.text : null;
    const finish = "finishReason" in reply && reply.finishReason ? reply.finishReason : "stop";
    const usage = usageFor(recorded.prompt, content ?? refusal ?? "", reply.usage);
    if (kind === "chat") {
      return send(res, 200, {
        id,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: "assistant", content, refusal }, logprobs: null, finish_reason: finish }],
        ...(usage ? { usage } : {}),
      });
    }
    const part = refusal !== null ? { type: "refusal", refusal } : { type: "output_text", text: content ?? "", annotations: [] };
    return send(res, 200, {
      id,
      object: "response",
      created_at: Math.floor(Date.now() / 1000),
      model,
      status: finish === "length" ? "incomplete" : "completed",
      incomplete_details: finish === "length" ? { reason: "max_output_tokens" } : null,
      output: [{ type: "message", id: `msg-${counter}`, status: "completed", role: "assistant", content: [part] }],
      output_text: content ?? "",
      ...(usage
        ? { usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.total_tokens } }
        : {}),
    });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      unexpected.push(`fake server error: ${String(err)}`);
      if (!res.headersSent) send(res, 500, errorBody("fake server error"));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    unexpected,
    reply: (...replies) => void queue.push(...replies),
    fallback: (handler) => {
      fallbackHandler = handler;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
function send(res, status, body, headers = {}) {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
function errorBody(message) {
  return { error: { message, type: "invalid_request_error", param: null, code: null } };
}
function textOf(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === "object" && "text" in p && typeof p.text === "string" ? p.text : "")).join("");
  }
  return "";
}
function chatMessages(raw) {
  if (!Array.isArray(raw)) return [];
  return raw.map((m) => ({
    role: typeof m?.role === "string" ? m.role : "unknown",
    content: textOf(m?.content),
  }));
}
function responsesMessages(body) {
  const out = [];
  if (typeof body.instructions === "string") out.push({ role: "system", content: body.instructions });
  if (typeof body.input === "string") out.push({ role: "user", content: body.input });
  else out.push(...chatMessages(body.input));
  return out;
}
function usageFor(prompt, completion, given) {
  if (given === null) return undefined;
  const prompt_tokens = given?.prompt_tokens ?? countTokens(prompt);
  const completion_tokens = given?.completion_tokens ?? countTokens(completion);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}
//# sourceMappingURL=fake-llm.js.map
