import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { AuditModelOutputSchema } from "../../src/auditor/model-output.js";
import { EditPlanSchema, FileRequestSchema } from "../../src/builder/edit-schema.js";
import { SimpleTokenBudget } from "../../src/llm/budget.js";
import { createOpenAiLlm } from "../../src/llm/openai-llm.js";
import { LlmUnavailableError, type LlmPort, type LlmPurpose, type LlmRole } from "../../src/llm/port.js";
import { startFakeLlm, type FakeLlm } from "./fake-llm.js";
import { scriptAgents } from "./scripted-agents.js";

describe("scripted agents", () => {
  let fake: FakeLlm;
  let llm: LlmPort;

  beforeEach(async () => {
    fake = await startFakeLlm();
    llm = createOpenAiLlm({
      apiKey: "test-key",
      baseURL: fake.baseURL,
      models: { builder: "builder-model", auditor: "auditor-model" },
      maxRetries: 0,
      timeoutMs: 5_000,
    });
  });
  afterEach(async () => {
    await fake.close();
  });

  const ask = <T>(role: LlmRole, purpose: LlmPurpose, schemaName: string, schema: ZodType<T>, user: string) =>
    llm.complete({
      role,
      purpose,
      system: "You help.",
      user,
      schema,
      schemaName,
      maxOutputTokens: 500,
      budget: new SimpleTokenBudget(50_000),
    });
  const attempt = (phaseId: string, step: string, n = 1): LlmPurpose => ({ runId: "gh-1-2-1", phaseId, attempt: n, step });

  it("routes by what the app says a request is for and the schema it asks for, never by the prompt's wording", async () => {
    scriptAgents(fake, {
      builds: {
        P1: [{ summary: "one", files: ["a.ts"], edits: [{ path: "a.ts", action: "create", content: "1\n" }] }],
        P2: [{ summary: "two", files: ["b.ts"], edits: [{ path: "b.ts", action: "create", content: "2\n" }] }],
      },
      audits: { P1: [{ recommendation: "revise" }], P2: [{ recommendation: "approve" }] },
    });
    // Prompts that never name their phase, or name another one, reach the right script.
    const misleading = "## Phase P1 (attempt 1)\nPhase P1: do it";
    const files2 = await ask("builder", attempt("P2", "files"), "autopack_file_request", FileRequestSchema, misleading);
    const files1 = await ask("builder", attempt("P1", "files"), "autopack_file_request", FileRequestSchema, "Which files?");
    const edit2 = await ask("builder", attempt("P2", "edit"), "autopack_edit_plan", EditPlanSchema, "Now the edits, please.");
    const edit1 = await ask("builder", attempt("P1", "edit"), "autopack_edit_plan", EditPlanSchema, misleading);
    expect([files1.value.files, files2.value.files]).toEqual([["a.ts"], ["b.ts"]]);
    expect([edit1.value.summary, edit2.value.summary]).toEqual(["one", "two"]);
    const audit2 = await ask("auditor", attempt("P2", "audit"), "autopack_audit", AuditModelOutputSchema, misleading);
    const audit1 = await ask("auditor", attempt("P1", "audit"), "autopack_audit", AuditModelOutputSchema, "Review this.");
    expect([audit1.value.recommendation, audit2.value.recommendation]).toEqual(["revise", "approve"]);
    expect(fake.unexpected).toEqual([]);
  });

  it("routes Responses API requests the same way, by the schema named in text.format", async () => {
    const responses = createOpenAiLlm({
      apiKey: "test-key",
      baseURL: fake.baseURL,
      models: { builder: "builder-model", auditor: "auditor-model" },
      roles: { builder: { api: "responses" }, auditor: { api: "responses" } },
      maxRetries: 0,
      timeoutMs: 5_000,
    });
    scriptAgents(fake, {
      builds: { P1: [{ summary: "one", files: ["a.ts"], edits: [{ path: "a.ts", action: "create", content: "1\n" }] }] },
      audits: { P1: [{ raw: "not JSON" }, { recommendation: "approve" }] },
    });
    const ask2 = <T>(role: LlmRole, step: string, schemaName: string, schema: ZodType<T>) =>
      responses.complete({
        role,
        purpose: attempt("P1", step),
        system: "You help.",
        user: "x",
        schema,
        schemaName,
        maxOutputTokens: 500,
        budget: new SimpleTokenBudget(50_000),
      });
    expect((await ask2("builder", "files", "autopack_file_request", FileRequestSchema)).value.files).toEqual(["a.ts"]);
    expect((await ask2("builder", "edit", "autopack_edit_plan", EditPlanSchema)).value.summary).toBe("one");
    // The raw answer is not JSON: the adapter's one repair round takes the next script.
    expect((await ask2("auditor", "audit", "autopack_audit", AuditModelOutputSchema)).value.recommendation).toBe("approve");
    expect(fake.requests.map((r) => r.path)).toEqual(Array(4).fill("/v1/responses"));
    expect(fake.unexpected).toEqual([]);
  });

  it("answers a request that does not say what it is for, or asks for the wrong role's schema, as unscripted", async () => {
    scriptAgents(fake, { builds: { P1: [{ summary: "one", edits: [] }] }, audits: { P1: [{ recommendation: "approve" }] } });
    const res = await fetch(`${fake.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        messages: [{ role: "user", content: "## Phase P1 (attempt 1)" }],
        response_format: { type: "json_schema", json_schema: { name: "autopack_audit", schema: {} } },
      }),
    });
    expect(res.status).toBe(500);
    await expect(ask("auditor", attempt("P1", "audit"), "autopack_edit_plan", EditPlanSchema, "x")).rejects.toBeInstanceOf(
      LlmUnavailableError,
    );
    expect(fake.unexpected).toEqual([
      "unscripted request that does not say what it is for (schema autopack_audit)",
      "unscripted auditor request with schema autopack_edit_plan",
    ]);
  });
});
