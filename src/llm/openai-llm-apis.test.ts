import { afterEach, describe, expect, it } from "vitest";
import { RESPONSES_ONLY_MESSAGE, startFakeLlm, type FakeLlm, type FakeLlmOptions } from "../../test/support/fake-llm.js";
import { SimpleTokenBudget } from "./budget.js";
import { firstApiFor, isOpenAiServer, type OpenAiLlmOptions } from "./openai-llm.js";
import { adapterFor, good, planRequest, type LogLine } from "../../test/support/llm-adapter.js";
import { LlmOutputInvalidError, LlmUnavailableError, parsePurposeId } from "./port.js";

let fake: FakeLlm | undefined;
let logs: LogLine[] = [];

afterEach(async () => {
  expect(fake?.unexpected ?? []).toEqual([]);
  await fake?.close();
  fake = undefined;
  logs = [];
});

async function server(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  fake = await startFakeLlm(options);
  return fake;
}

const llm = (f: FakeLlm, extra: Partial<OpenAiLlmOptions> = {}) =>
  adapterFor(f, logs, { models: { builder: "builder-model", auditor: "gpt-5-codex" }, maxRetries: 0, ...extra });
const request = planRequest({ role: "auditor", purpose: { runId: "gh-1-2-1", phaseId: "P1", attempt: 1, step: "audit" } });

const paths = (f: FakeLlm) => f.requests.map((r) => `${r.path.replace("/v1/", "")} ${r.status}`);

describe("which API auto tries first", () => {
  it("is the Responses API on OpenAI's own server and for Codex models anywhere; Chat Completions elsewhere", () => {
    expect(isOpenAiServer(undefined)).toBe(true);
    expect(isOpenAiServer("https://api.openai.com/v1")).toBe(true);
    expect(isOpenAiServer("http://localhost:11434/v1")).toBe(false);
    expect(firstApiFor("gpt-4.1", true)).toBe("responses");
    expect(firstApiFor("gpt-4.1", false)).toBe("chat");
    expect(firstApiFor("gpt-5.1-codex-mini", false)).toBe("responses");
    expect(firstApiFor("GPT-5-Codex", false)).toBe("responses");
  });
});

describe("the Responses API", () => {
  it("asks a Codex model on /responses with the schema in text.format, and counts its usage into the budget", async () => {
    const f = await server();
    f.reply({ json: good, usage: { prompt_tokens: 40, completion_tokens: 12 } });
    const budget = new SimpleTokenBudget(10_000);
    const res = await llm(f, { roles: { auditor: { reasoningEffort: "high" } } }).complete(request({ budget }));
    expect(res).toEqual({ value: good, usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 }, model: "gpt-5-codex" });
    expect(budget.spent).toBe(52);
    const [req] = f.requests;
    expect(req?.path).toBe("/v1/responses");
    expect(req?.body).toMatchObject({
      model: "gpt-5-codex",
      instructions: "You plan work.",
      input: [{ role: "user", content: "Plan the change." }],
      max_output_tokens: 500,
      store: false,
      reasoning: { effort: "high" },
      text: { format: { type: "json_schema", name: "plan", strict: true } },
    });
    expect(req?.body.messages).toBeUndefined();
    expect(req?.body.max_tokens).toBeUndefined();
    expect(parsePurposeId(req?.clientRequestId ?? "")).toMatchObject({ role: "auditor", step: "audit" });
  });

  it("repairs an answer that is not JSON once, the conversation carried in input", async () => {
    const f = await server();
    f.reply(
      { text: "Sure! Here is the plan.", usage: { prompt_tokens: 30, completion_tokens: 6 } },
      { json: good, usage: { prompt_tokens: 50, completion_tokens: 9 } },
    );
    const budget = new SimpleTokenBudget(10_000);
    const res = await llm(f).complete(request({ budget }));
    expect(res.value).toEqual(good);
    expect(res.usage.total_tokens).toBe(95);
    expect(budget.spent).toBe(95);
    const second = f.requests[1];
    expect(second?.path).toBe("/v1/responses");
    expect(second?.body.instructions).toBe("You plan work.");
    expect(second?.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(second?.messages[2]?.content).toBe("Sure! Here is the plan.");
    expect(second?.messages[3]?.content).toContain("not valid JSON");
  });

  it("gives up after the one repair round, with both calls' usage", async () => {
    const f = await server();
    f.reply(
      { text: "nope", usage: { prompt_tokens: 10, completion_tokens: 1 } },
      { json: { title: 3 }, usage: { prompt_tokens: 20, completion_tokens: 2 } },
    );
    const err = await llm(f)
      .complete(request())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmOutputInvalidError);
    expect((err as LlmOutputInvalidError).usage.total_tokens).toBe(33);
    expect(f.requests).toHaveLength(2);
  });

  it("asks for a shorter answer when the response stopped at max_output_tokens, and reads a refusal", async () => {
    const f = await server();
    f.reply({ text: '{"title": "cut', finishReason: "length" }, { json: good }, { refusal: "I can't help with that." });
    const adapter = llm(f);
    expect((await adapter.complete(request())).value).toEqual(good);
    expect(f.requests[1]?.messages.map((m) => m.role)).toEqual(["system", "user", "user"]);
    expect(f.requests[1]?.messages[2]?.content).toMatch(/cut off.*500 output tokens/);
    await expect(adapter.complete(request())).rejects.toThrow(/refused to answer: I can't help with that/);
  });

  it("falls back to JSON mode in text.format when the server refuses json_schema there", async () => {
    const f = await server();
    f.reply({ status: 400, body: "Invalid parameter: 'text.format' of type 'json_schema' is not supported." }, { json: good });
    expect((await llm(f).complete(request())).value).toEqual(good);
    expect(f.requests[1]?.response_format).toEqual({ type: "json_object" });
    expect(f.requests[1]?.body.instructions).toContain('"steps"');
  });
});

describe("choosing the API per role", () => {
  it("auto: moves a model Chat Completions refuses to the Responses API, and remembers it", async () => {
    const f = await server({ responsesOnly: (m) => m === "my-coder" });
    f.fallback(() => ({ json: good }));
    const adapter = llm(f, { models: { builder: "my-coder", auditor: "my-coder" } });
    await adapter.complete(request({ role: "builder" }));
    await adapter.complete(request({ role: "auditor" }));
    await adapter.complete(request({ role: "builder" }));
    expect(paths(f)).toEqual(["chat/completions 404", "responses 200", "responses 200", "responses 200"]);
    const warned = logs.find((l) => l.level === "warn" && /using the other one/.test(l.msg ?? ""));
    expect(warned?.obj).toMatchObject({ model: "my-coder", from: "chat", to: "responses" });
    expect((warned?.obj as { reason: string }).reason).toContain(RESPONSES_ONLY_MESSAGE);
  });

  it("auto: moves a Codex model to Chat Completions on a server without /responses, and remembers it", async () => {
    const f = await server({ apis: ["chat"], responsesOnly: () => false });
    f.fallback(() => ({ json: good }));
    const adapter = llm(f);
    await adapter.complete(request());
    await adapter.complete(request());
    expect(paths(f)).toEqual(["responses 404", "chat/completions 200", "chat/completions 200"]);
  });

  it("auto: a model the server does not know is not moved", async () => {
    const f = await server();
    f.reply({ status: 404, body: "The model `gpt-5-codex` does not exist or you do not have access to it." });
    const err = await llm(f)
      .complete(request())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect(err).toMatchObject({ status: 404 });
    expect(paths(f)).toEqual(["responses 404"]);
  });

  it("responses forced: any model goes to /responses", async () => {
    const f = await server();
    f.fallback(() => ({ json: good }));
    await llm(f, { roles: { builder: { api: "responses" } } }).complete(request({ role: "builder" }));
    expect(paths(f)).toEqual(["responses 200"]);
  });

  it("chat forced: a Codex model stays on Chat Completions, and its refusal is the caller's to see", async () => {
    const f = await server();
    const err = await llm(f, { roles: { auditor: { api: "chat" } } })
      .complete(request())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmUnavailableError);
    expect(err).toMatchObject({ status: 404, message: expect.stringContaining(RESPONSES_ONLY_MESSAGE) });
    expect(paths(f)).toEqual(["chat/completions 404"]);
  });

  it("chat forced on a server without /responses: never tries it", async () => {
    const f = await server({ apis: ["chat"], responsesOnly: () => false });
    f.fallback(() => ({ json: good }));
    await llm(f, { roles: { auditor: { api: "chat" } } }).complete(request());
    expect(paths(f)).toEqual(["chat/completions 200"]);
  });
});

describe("reasoning settings on Chat Completions", () => {
  it("sends reasoning_effort and the configured output-limit parameter", async () => {
    const f = await server();
    f.fallback(() => ({ json: good }));
    await llm(f, { roles: { builder: { reasoningEffort: "low", outputLimitParam: "max_completion_tokens" } } }).complete(
      request({ role: "builder" }),
    );
    expect(f.requests[0]?.body).toMatchObject({ reasoning_effort: "low", max_completion_tokens: 500 });
    expect(f.requests[0]?.body.max_tokens).toBeUndefined();
  });

  it("auto switches the output-limit parameter for the refusing model only; a set one is never switched", async () => {
    const f = await server();
    const refusal = "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.";
    f.reply({ status: 400, body: refusal }, { json: good }, { json: good }, { status: 400, body: refusal });
    const adapter = llm(f, {
      models: { builder: "o-model", auditor: "other-model" },
      roles: { auditor: { outputLimitParam: "max_tokens" } },
    });
    await adapter.complete(request({ role: "builder" }));
    await adapter.complete(request({ role: "builder" }));
    await expect(adapter.complete(request({ role: "auditor" }))).rejects.toBeInstanceOf(LlmUnavailableError);
    const limits = f.requests.map((r) => (r.body.max_tokens !== undefined ? "max_tokens" : "max_completion_tokens"));
    expect(limits).toEqual(["max_tokens", "max_completion_tokens", "max_completion_tokens", "max_tokens"]);
  });
});
