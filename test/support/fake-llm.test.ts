import OpenAI, { type APIError } from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countTokens } from "../../src/llm/tokens.js";
import { RESPONSES_ONLY_MESSAGE, startFakeLlm, type FakeLlm } from "./fake-llm.js";

describe("fake OpenAI-compatible server", () => {
  let fake: FakeLlm;
  let client: OpenAI;

  beforeEach(async () => {
    fake = await startFakeLlm();
    client = new OpenAI({ apiKey: "test-key", baseURL: fake.baseURL, maxRetries: 0, timeout: 5_000 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it("listens on loopback with a random port", () => {
    expect(fake.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it("answers chat completions in the exact shape, with counted usage by default", async () => {
    fake.reply({ json: { ok: true } });
    const completion = await client.chat.completions.create({
      model: "m1",
      messages: [
        { role: "system", content: "sys" },
        { role: "user", content: "hello there" },
      ],
      response_format: { type: "json_object" },
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("m1");
    expect(completion.choices[0]?.message).toEqual({ role: "assistant", content: '{"ok":true}', refusal: null });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toEqual({
      prompt_tokens: countTokens("sys\nhello there"),
      completion_tokens: countTokens('{"ok":true}'),
      total_tokens: countTokens("sys\nhello there") + countTokens('{"ok":true}'),
    });
    const [req] = fake.requests;
    expect(req).toMatchObject({ method: "POST", path: "/v1/chat/completions", model: "m1", prompt: "sys\nhello there" });
    expect(req?.response_format).toEqual({ type: "json_object" });
    expect(req?.hasAuthorization).toBe(true);
    expect(JSON.stringify(req)).not.toContain("test-key");
    expect(fake.unexpected).toEqual([]);
  });

  it("serves replies in order: text, explicit usage, finish reason, functions, delays", async () => {
    fake.reply(
      { text: "raw", usage: { prompt_tokens: 7, completion_tokens: 3 }, finishReason: "length" },
      (req) => ({ text: `saw ${req.messages.length}` }),
      { delayMs: 30, then: { json: [1] } },
      { text: "no usage", usage: null },
    );
    const ask = () => client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] });
    const first = await ask();
    expect(first.choices[0]?.message.content).toBe("raw");
    expect(first.choices[0]?.finish_reason).toBe("length");
    expect(first.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect((await ask()).choices[0]?.message.content).toBe("saw 1");
    const started = Date.now();
    expect((await ask()).choices[0]?.message.content).toBe("[1]");
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect((await ask()).usage).toBeUndefined();
  });

  it("sends scripted errors with their headers and bodies", async () => {
    fake.reply({ status: 400, body: "response_format json_schema not supported" });
    fake.reply({ status: 429, headers: { "retry-after": "1" } });
    const ask = () => client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] });
    await expect(ask()).rejects.toMatchObject({ status: 400, message: "400 response_format json_schema not supported" });
    const err = (await ask().catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(429);
    expect(err.headers?.get("retry-after")).toBe("1");
  });

  it("fails loudly without a scripted reply, unless a fallback is set", async () => {
    const ask = () => client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] });
    await expect(ask()).rejects.toMatchObject({ status: 500 });
    expect(fake.unexpected).toHaveLength(1);
    fake.fallback(() => ({ text: "default" }));
    expect((await ask()).choices[0]?.message.content).toBe("default");
  });

  it("serves the Responses API in OpenAI's shape, and the model list", async () => {
    fake.reply({ json: { a: 1 }, usage: { prompt_tokens: 9, completion_tokens: 4 } });
    const format = { type: "json_schema" as const, name: "thing", strict: true, schema: { type: "object" } };
    const response = await client.responses.create({
      model: "r1",
      instructions: "be brief",
      input: [{ role: "user", content: "hi" }],
      text: { format },
      max_output_tokens: 100,
    });
    expect(response).toMatchObject({ object: "response", status: "completed", model: "r1", incomplete_details: null });
    expect(response.output).toEqual([
      {
        type: "message",
        id: expect.any(String),
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: '{"a":1}', annotations: [] }],
      },
    ]);
    // The SDK adds output_text itself, as it does for OpenAI's answers.
    expect(response.output_text).toBe('{"a":1}');
    expect(response.usage).toMatchObject({ input_tokens: 9, output_tokens: 4, total_tokens: 13 });
    expect(fake.requests[0]).toMatchObject({ path: "/v1/responses", prompt: "be brief\nhi", response_format: format, status: 200 });
    expect(fake.requests[0]?.usage).toEqual({ prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["fake-model", "r1"]);
  });

  it("answers a cut-off response as incomplete, and a refusal as a refusal part", async () => {
    fake.reply({ text: '{"a":', finishReason: "length" }, { refusal: "no" });
    const cut = await client.responses.create({ model: "r", input: "q" });
    expect(cut).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    const refused = await client.responses.create({ model: "r", input: "q" });
    expect(refused.output[0]).toMatchObject({ type: "message", content: [{ type: "refusal", refusal: "no" }] });
  });

  it("refuses a Codex model on Chat Completions with OpenAI's 404, taking no scripted reply", async () => {
    fake.reply({ text: "for the Responses API" });
    const err = (await client.chat.completions
      .create({ model: "gpt-5.1-codex", messages: [{ role: "user", content: "q" }] })
      .catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(404);
    expect(err.error).toEqual({ message: RESPONSES_ONLY_MESSAGE, type: "invalid_request_error", param: "model", code: null });
    const response = await client.responses.create({ model: "gpt-5.1-codex", input: "q" });
    expect(response.output_text).toBe("for the Responses API");
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([
      ["/v1/chat/completions", 404],
      ["/v1/responses", 200],
    ]);
    expect(fake.unexpected).toEqual([]);
  });

  it("can be a server without the Responses API, which answers 404 there as vLLM does", async () => {
    const chatOnly = await startFakeLlm({ apis: ["chat"] });
    try {
      const other = new OpenAI({ apiKey: "k", baseURL: chatOnly.baseURL, maxRetries: 0 });
      await expect(other.responses.create({ model: "m", input: "q" })).rejects.toMatchObject({ status: 404 });
      expect(chatOnly.requests.map((r) => [r.path, r.status])).toEqual([["/v1/responses", 404]]);
      expect(chatOnly.unexpected).toEqual([]);
    } finally {
      await chatOnly.close();
    }
  });

  it("records a missing Authorization header as absent", async () => {
    fake.reply({ text: "x" });
    const res = await fetch(`${fake.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: [{ type: "text", text: "parts" }] }] }),
    });
    expect(res.status).toBe(200);
    expect(fake.requests[0]).toMatchObject({ hasAuthorization: false, prompt: "parts" });
  });
});
