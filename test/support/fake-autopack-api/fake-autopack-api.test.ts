import { afterEach, describe, expect, it } from "vitest";
import { startFakeAutopackApi, type FakeAutopackApi } from "./index.js";

const started: FakeAutopackApi[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.close()));
});

async function fakeApi(options?: Parameters<typeof startFakeAutopackApi>[0]) {
  const fake = await startFakeAutopackApi(options);
  started.push(fake);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${fake.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { fake, call };
}

const start = {
  run: { run_id: "r1" },
  tiers: [{ tier_id: "T1", tier_index: 0, name: "Tier" }],
  phases: [{ phase_id: "P1", phase_index: 0, tier_id: "T1", name: "Phase", complexity: "medium" }],
};

describe("the fake orchestrator", () => {
  it("answers 422 the FastAPI way for a missing field, and records it", async () => {
    const { fake, call } = await fakeApi();
    const res = await call("POST", "/runs/start", { ...start, run: {} });
    expect(res).toEqual({
      status: 422,
      body: { detail: [{ loc: ["body", "run", "run_id"], msg: "field required", type: "value_error.missing" }] },
    });
    expect(fake.invalidBodies).toEqual(["POST /runs/start: body.run.run_id: field required"]);
  });

  it("refuses unknown fields when strict (default), ignores them otherwise", async () => {
    const body = { ...start, phases: [{ ...start.phases[0], scope: { paths: [], read_only_context: [] } }] };
    const strict = await fakeApi();
    const refused = await strict.call("POST", "/runs/start", body);
    expect(refused.status).toBe(422);
    expect(refused.body.detail[0]).toMatchObject({ loc: ["body", "phases", 0, "scope"], type: "value_error.extra" });
    const lenient = await fakeApi({ strictUnknownFields: false });
    expect((await lenient.call("POST", "/runs/start", body)).status).toBe(201);
    expect(lenient.fake.invalidBodies).toEqual([]);
  });

  it("refuses a body that is not JSON", async () => {
    const { fake, call } = await fakeApi();
    expect((await call("POST", "/runs/start", "{nope")).status).toBe(422);
    expect(fake.invalidBodies).toHaveLength(1);
  });

  it("maps builder and auditor results to phase states, overwriting builder tokens and adding auditor tokens", async () => {
    const { fake, call } = await fakeApi();
    expect((await call("POST", "/runs/start", start)).status).toBe(201);
    const phase = "/runs/r1/phases/P1";
    const b1 = await call("POST", `${phase}/builder_result`, { run_id: "r1", phase_id: "P1", status: "needs_review", tokens_used: 100 });
    expect(b1.body).toEqual({ message: expect.any(String), commit_sha: null, phase_state: "GATE" });
    await call("POST", `${phase}/builder_result`, {
      run_id: "r1",
      phase_id: "P1",
      status: "success",
      tokens_used: 70,
      builder_attempts: 2,
    });
    const a1 = await call("POST", `${phase}/auditor_result`, {
      run_id: "r1",
      phase_id: "P1",
      review_notes: "",
      recommendation: "revise",
      tokens_used: 5,
    });
    expect(a1.body).toMatchObject({ recommendation: "revise", patches_applied: false, commit_shas: [], phase_state: "EXECUTING" });
    await call("POST", `${phase}/auditor_result`, {
      run_id: "r1",
      phase_id: "P1",
      review_notes: "",
      recommendation: "escalate",
      tokens_used: 5,
      auditor_attempts: 2,
    });
    expect(fake.runs.get("r1")?.phases[0]).toMatchObject({ state: "FAILED", builder_attempts: 2, auditor_attempts: 2, tokens_used: 80 });
    expect(fake.invalidBodies).toEqual([]);
  });

  it("answers 404 for unknown runs and phases, 400 for duplicates and unknown tiers", async () => {
    const { call } = await fakeApi();
    const body = { run_id: "r1", phase_id: "P9", status: "success" };
    expect((await call("POST", "/runs/r1/phases/P9/builder_result", body)).status).toBe(404);
    await call("POST", "/runs/start", start);
    expect(await call("POST", "/runs/r1/phases/P9/builder_result", body)).toEqual({
      status: 404,
      body: { detail: "Phase P9 not found in run r1" },
    });
    expect(await call("POST", "/runs/start", start)).toEqual({ status: 400, body: { detail: "Run r1 already exists" } });
    const orphan = { ...start, run: { run_id: "r2" }, phases: [{ ...start.phases[0], tier_id: "T9" }] };
    expect((await call("POST", "/runs/start", orphan)).status).toBe(400);
    expect((await call("GET", "/runs/r2")).status).toBe(404);
    expect((await call("GET", "/reports/run_summary/r2")).status).toBe(404);
  });

  it("stores a run whose phase has no complexity, then answers 500 as the service does when compiling its strategy", async () => {
    const { call } = await fakeApi();
    const vague = { ...start, phases: [{ phase_id: "P1", phase_index: 0, tier_id: "T1", name: "Phase" }] };
    expect((await call("POST", "/runs/start", vague)).status).toBe(500);
    expect((await call("GET", "/runs/r1")).status).toBe(200);
  });

  it("records a body naming another run than its path", async () => {
    const { fake, call } = await fakeApi();
    await call("POST", "/runs/start", start);
    await call("POST", "/runs/r1/phases/P1/auditor_request", { run_id: "r0", phase_id: "P1", tier_id: "T1" });
    expect(fake.invalidBodies).toEqual(["POST /runs/r1/phases/P1/auditor_request: body names r0/P1, path r1/P1"]);
    fake.invalidBodies.length = 0;
  });

  it("serves runs, metrics and health", async () => {
    const { call } = await fakeApi({ apiKey: "k" });
    expect(await call("GET", "/health")).toEqual({ status: 200, body: { status: "healthy" } });
    const key = { "x-api-key": "k" };
    await call("POST", "/runs/start", start, key);
    expect((await call("GET", "/runs/r1", undefined, key)).body).toMatchObject({
      id: "r1",
      state: "RUN_CREATED",
      tiers: [{ tier_id: "T1", state: "PENDING", phases: [{ phase_id: "P1", state: "QUEUED" }] }],
    });
    expect((await call("GET", "/metrics/runs?status=RUN_CREATED", undefined, key)).body).toMatchObject({
      total_runs: 1,
      runs: [{ run_id: "r1", token_cap: 5_000_000, phase_count: 1 }],
    });
    expect((await call("GET", "/metrics/runs?status=DONE_SUCCESS", undefined, key)).body).toEqual({ total_runs: 0, runs: [] });
    expect((await call("GET", "/metrics/runs?status=SLEEPING", undefined, key)).status).toBe(400);
    expect((await call("GET", "/runs/start", undefined, key)).status).toBe(404);
    expect((await call("GET", "/runs/r1/phases/P1/builder_result", undefined, key)).status).toBe(405);
    expect((await call("GET", "/runs/r1")).status).toBe(401);
  });

  it("injects faults a given number of times", async () => {
    const { fake, call } = await fakeApi();
    fake.fail({ path: /^\/health$/, status: 502, times: 2, headers: { "retry-after": "7" } });
    const first = await fetch(`${fake.url}/health`);
    expect([first.status, first.headers.get("retry-after")]).toEqual([502, "7"]);
    expect((await call("GET", "/health")).status).toBe(502);
    expect((await call("GET", "/health")).status).toBe(200);
  });
});
