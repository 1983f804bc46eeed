import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditorRequestBody, auditorResultBody, builderResultBody, runStartBody } from "../../../src/autopack-api/bodies.js";
import { createAutopackApi, type AutopackApiOptions, type MirrorCall } from "../../../src/autopack-api/client.js";
import { phaseBudget } from "../../../src/plan/budgets.js";
import { sampleAudit, sampleBuild, samplePlan } from "./fixtures.js";
import { startFakeAutopackApi, type FakeAutopackApi } from "./index.js";

const RUN = "gh-42-7-1";
let fake: FakeAutopackApi;

const api = (fakeApi: FakeAutopackApi, options: Partial<AutopackApiOptions> = {}) =>
  createAutopackApi({ baseUrl: fakeApi.url, retries: 3, minRetryDelayMs: 5, timeoutMs: 2_000, ...options });

const startCall = (): MirrorCall => ({ op: "start", runId: RUN, body: runStartBody(RUN, samplePlan()) });

beforeEach(async () => {
  fake = await startFakeAutopackApi();
});
afterEach(async () => {
  expect(fake.invalidBodies).toEqual([]);
  await fake.close();
});

describe("client against the fake orchestrator", () => {
  it("starts a run (201) and reads it back", async () => {
    const result = await api(fake).send(startCall());
    expect(result).toMatchObject({ ok: true, status: 201, response: { id: RUN, state: "RUN_CREATED" } });
    expect(fake.runs.get(RUN)?.phases.map((p) => p.state)).toEqual(["QUEUED", "QUEUED", "QUEUED"]);
    expect(fake.calls[0]).toMatchObject({ method: "POST", path: "/runs/start", status: 201 });
  });

  it("treats a repeated start as done, after confirming the run exists", async () => {
    const client = api(fake);
    await client.send(startCall());
    const again = await client.send(startCall());
    expect(again).toMatchObject({ ok: true, status: 200, response: { id: RUN } });
    expect(fake.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      "POST /runs/start 201",
      "POST /runs/start 400",
      `GET /runs/${RUN} 200`,
    ]);
  });

  it("refuses a start whose phase names an unknown tier, without retrying", async () => {
    const call = startCall();
    if (call.op !== "start") throw new Error("unreachable");
    call.body.phases[0]!.tier_id = "T9";
    const result = await api(fake).send(call);
    expect(result).toEqual({ ok: false, retryable: false, status: 400, error: expect.stringContaining("Tier T9 not found") });
    expect(fake.calls).toHaveLength(1);
  });

  it("retries 500 twice, then succeeds", async () => {
    fake.fail({ path: /^\/runs\/start$/, status: 500, times: 2 });
    const result = await api(fake).send(startCall());
    expect(result).toMatchObject({ ok: true, status: 201 });
    expect(fake.calls.map((c) => c.status)).toEqual([500, 500, 201]);
  });

  it("gives up on a lasting 500 with retryable: true", async () => {
    fake.fail({ status: 503, times: Infinity });
    const result = await api(fake, { retries: 2 }).send(startCall());
    expect(result).toEqual({ ok: false, retryable: true, status: 503, error: expect.stringContaining("answered 503") });
    expect(fake.calls).toHaveLength(3);
  });

  it("does not retry a 422, and renders FastAPI's detail", async () => {
    fake.fail({
      status: 422,
      body: { detail: [{ loc: ["body", "phases", 0, "name"], msg: "field required", type: "value_error.missing" }] },
    });
    const result = await api(fake).send(startCall());
    expect(result).toEqual({
      ok: false,
      retryable: false,
      status: 422,
      error: "POST /runs/start answered 422: body.phases[0].name: field required",
    });
    expect(fake.calls).toHaveLength(1);
  });

  it("refuses to send a body its own schema rejects", async () => {
    const call = startCall();
    const bad = { ...call, body: { ...call.body, extra: true } } as unknown as MirrorCall;
    const result = await api(fake).send(bad);
    expect(result).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining("Unrecognized key") });
    expect(fake.calls).toHaveLength(0);
  });

  it("honours retry-after on 429", async () => {
    fake.fail({ path: /start/, status: 429, headers: { "retry-after": "1" } });
    const started = performance.now();
    const result = await api(fake, { maxRetryDelayMs: 5_000 }).send(startCall());
    expect(result).toMatchObject({ ok: true, status: 201 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("caps the retry-after wait", async () => {
    fake.fail({ path: /start/, status: 429, headers: { "retry-after": "3600" } });
    const started = performance.now();
    const result = await api(fake, { maxRetryDelayMs: 50 }).send(startCall());
    expect(result).toMatchObject({ ok: true, status: 201 });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("reports an unreachable service as retryable, quickly", async () => {
    await fake.down();
    const started = performance.now();
    const result = await api(fake, { retries: 2 }).send(startCall());
    expect(result).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining("ECONNRESET") });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await api(fake).health()).toBe(false);
    expect(await api(fake, { retries: 0 }).runSummary(RUN)).toBeNull();
    await fake.up();
    expect(await api(fake).health()).toBe(true);
    expect(await api(fake).send(startCall())).toMatchObject({ ok: true, status: 201 });
  });

  it("times out a service that does not answer, as retryable", async () => {
    fake.fail({ status: 200, delayMs: 1_000, times: Infinity });
    const result = await api(fake, { timeoutMs: 100, retries: 1 }).send(startCall());
    expect(result).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining("no answer within 100 ms") });
  });
});

describe("with an API key", () => {
  let keyed: FakeAutopackApi;
  beforeEach(async () => {
    keyed = await startFakeAutopackApi({ apiKey: "s3cret" });
  });
  afterEach(() => keyed.close());

  it("sends X-API-Key", async () => {
    expect(await api(keyed, { apiKey: "s3cret" }).send(startCall())).toMatchObject({ ok: true, status: 201 });
    expect(keyed.calls[0]?.apiKey).toBe("s3cret");
  });

  it("never logs the key", async () => {
    const lines: string[] = [];
    const logger = {
      warn: (f: Record<string, unknown>, m: string) => lines.push(JSON.stringify(f) + m),
      debug: (f: Record<string, unknown>, m: string) => lines.push(JSON.stringify(f) + m),
    };
    keyed.fail({ status: 500, times: 2 });
    const client = api(keyed, { apiKey: "s3cret", logger });
    await client.send(startCall());
    await client.send(startCall());
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.join("\n")).not.toContain("s3cret");
  });

  it("is refused without it, and does not retry", async () => {
    expect(await api(keyed).send(startCall())).toMatchObject({ ok: false, retryable: false, status: 401 });
    expect(await api(keyed, { apiKey: "wrong" }).send(startCall())).toMatchObject({ ok: false, retryable: false, status: 403 });
    expect(keyed.calls).toHaveLength(2);
  });
});

describe("a phase attempt, start to finish", () => {
  it("leaves the phase COMPLETE with the right attempts and tokens, and the summary says so", async () => {
    const client = api(fake);
    const plan = samplePlan();
    const phase = plan.phases[0]!;
    expect(await client.send({ op: "start", runId: RUN, body: runStartBody(RUN, plan) })).toMatchObject({ ok: true });

    const builder = builderResultBody({ runId: RUN, phaseId: phase.phase_id, outcome: sampleBuild({ tokensUsed: 10_000 }), attempt: 2 });
    const built = await client.send({ op: "builder_result", runId: RUN, phaseId: phase.phase_id, body: builder });
    expect(built).toMatchObject({ ok: true, status: 200, response: { phase_state: "COMPLETE", commit_sha: expect.any(String) } });

    const request = auditorRequestBody({ runId: RUN, phase, builder, budget: phaseBudget(phase.task_category) });
    const requested = await client.send({ op: "auditor_request", runId: RUN, phaseId: phase.phase_id, body: request });
    expect(requested).toMatchObject({ ok: true, response: { review_focus: "schema", auditor_profile: "schema_review" } });

    const verdict = auditorResultBody({ runId: RUN, phaseId: phase.phase_id, outcome: sampleAudit({ tokensUsed: 3_000 }), attempt: 1 });
    const audited = await client.send({ op: "auditor_result", runId: RUN, phaseId: phase.phase_id, body: verdict });
    expect(audited).toMatchObject({
      ok: true,
      response: { recommendation: "approve", patches_applied: false, commit_shas: [], phase_state: "COMPLETE" },
    });

    expect(fake.runs.get(RUN)?.phases[0]).toMatchObject({
      state: "COMPLETE",
      builder_attempts: 2,
      auditor_attempts: 1,
      tokens_used: 13_000,
    });
    const summary = await client.runSummary(RUN);
    expect(summary).toMatchObject({
      run_id: RUN,
      state: "RUN_CREATED",
      budgets: { tokens_used: 13_000, token_cap: 2_000_000, phase_count: 3, max_phases: 25 },
      issues: { minor_count: 2, major_count: 1 },
    });
    expect(summary?.phases[0]).toMatchObject({
      phase_id: "P1",
      state: "COMPLETE",
      builder_attempts: 2,
      auditor_attempts: 1,
      tokens_used: 13_000,
    });
    expect(summary?.tiers.map((t) => t.state)).toEqual(["IN_PROGRESS", "PENDING"]);
  });

  it("answers 404 (not retried) for an unknown run, and null for its summary", async () => {
    const client = api(fake);
    const body = builderResultBody({ runId: "nope", phaseId: "P1", outcome: sampleBuild(), attempt: 1 });
    expect(await client.send({ op: "builder_result", runId: "nope", phaseId: "P1", body })).toMatchObject({
      ok: false,
      retryable: false,
      status: 404,
    });
    expect(await client.runSummary("nope")).toBeNull();
    expect(fake.calls).toHaveLength(2);
  });

  it("URL-encodes ids", async () => {
    const client = api(fake);
    const plan = samplePlan();
    plan.phases[2]!.phase_id = "P3 x/y";
    await client.send({ op: "start", runId: "run/1", body: runStartBody("run/1", plan) });
    const body = builderResultBody({ runId: "run/1", phaseId: "P3 x/y", outcome: sampleBuild(), attempt: 1 });
    expect(await client.send({ op: "builder_result", runId: "run/1", phaseId: "P3 x/y", body })).toMatchObject({ ok: true });
    expect(fake.calls.at(-1)?.path).toBe("/runs/run%2F1/phases/P3%20x%2Fy/builder_result");
  });
});
