import { describe, expect, it } from "vitest";
import type { MirrorCall } from "../autopack-api/calls.js";
import type { AutopackApi, MirrorSendResult } from "../autopack-api/client.js";
import type { RunSummary } from "../autopack-api/schemas.js";
import { createDisabledAutopackApi } from "../autopack-api/disabled.js";
import { flushMirror } from "./mirror-flush.js";
import type { MirrorRecord } from "./run-state.js";

const runId = "gh-1-9-1";
const start: MirrorCall = { op: "start", runId, body: { run: { run_id: runId }, tiers: [], phases: [] } };
const built: MirrorCall = {
  op: "builder_result",
  runId,
  phaseId: "P1",
  body: { phase_id: "P1", run_id: runId, status: "success", patch_content: "diff --git a/x b/x\n", notes: "done" },
};
const audited: MirrorCall = {
  op: "auditor_result",
  runId,
  phaseId: "P1",
  body: { phase_id: "P1", run_id: runId, review_notes: "ok", recommendation: "approve" },
};

/** An orchestrator that answers each call with the next scripted result and records what it was sent. */
function scriptedApi(answers: MirrorSendResult[], summary: RunSummary | null = null): AutopackApi & { sent: MirrorCall[] } {
  const sent: MirrorCall[] = [];
  return {
    enabled: true,
    sent,
    send: async (call) => {
      sent.push(structuredClone(call));
      return answers.shift() ?? { ok: true, status: 200, response: {} };
    },
    runSummary: async () => summary,
    health: async () => true,
  };
}
const log = { warn: () => undefined, error: () => undefined };
const record = (pending: MirrorCall[]): MirrorRecord => ({ pending, last_error: null, last_refusal: null });

/** The service's summary of run `runId` with phase P1 at the given attempt counts. */
const summaryWith = (builder_attempts: number, auditor_attempts: number): RunSummary =>
  ({
    run_id: runId,
    state: "RUN_CREATED",
    tiers: [],
    phases: [{ phase_id: "P1", phase_index: 0, name: "One", state: "EXECUTING", builder_attempts, auditor_attempts }],
  }) as unknown as RunSummary;
const requested: MirrorCall = { op: "auditor_request", runId, phaseId: "P1", body: { phase_id: "P1", run_id: runId, tier_id: "T1" } };
const attempt = <C extends MirrorCall>(call: C, n: number): C =>
  ({ ...call, body: { ...call.body, ...(call.op === "builder_result" ? { builder_attempts: n } : { auditor_attempts: n }) } }) as C;

describe("flushMirror", () => {
  it("leaves out the outcomes the service already counts (a process died after sending them) and sends the rest", async () => {
    const api = scriptedApi([], summaryWith(2, 1));
    const calls = [attempt(built, 2), requested, attempt(audited, 1), attempt(built, 3), { ...requested }, attempt(audited, 2)];
    const after = await flushMirror(runId, record(calls), api, log);
    expect(api.sent.map((c) => `${c.op} ${"body" in c && "builder_attempts" in c.body ? c.body.builder_attempts : ""}`)).toEqual([
      "builder_result 3",
      "auditor_request ",
      "auditor_result ",
    ]);
    expect(after.pending).toEqual([]);
  });

  it("sends every outcome when the service's summary cannot be read", async () => {
    const api = scriptedApi([]);
    await flushMirror(runId, record([attempt(built, 1), requested, attempt(audited, 1)]), api, log);
    expect(api.sent.map((c) => c.op)).toEqual(["builder_result", "auditor_request", "auditor_result"]);
  });

  it("sends in order and keeps, first in line, the call the service could not take now, and everything after it", async () => {
    const api = scriptedApi([
      { ok: true, status: 201, response: {} },
      { ok: false, retryable: true, status: 503, error: "down" },
    ]);
    const given = record([start, built, audited]);
    const after = await flushMirror(runId, given, api, log);
    expect(api.sent.map((c) => c.op)).toEqual(["start", "builder_result"]);
    expect(after).toEqual({ pending: [{ ...built, tries: 1 }, audited], last_error: "builder_result P1: down", last_refusal: null });
    // What it was given is left as it was: the caller stores the answer.
    expect(given).toEqual(record([start, built, audited]));
  });

  it("drops a call the service refuses for good, says so, and goes on with the next", async () => {
    const refusing = () => scriptedApi([{ ok: false, retryable: false, status: 422, error: "bad body" }]);
    expect(await flushMirror(runId, record([built]), refusing(), log)).toEqual({
      pending: [],
      last_error: "builder_result P1 refused: bad body",
      last_refusal: "builder_result P1 refused: bad body",
    });
    // A later call the service takes clears the error, not the record of what was dropped.
    const api = refusing();
    expect(await flushMirror(runId, record([built, audited]), api, log)).toEqual({
      pending: [],
      last_error: null,
      last_refusal: "builder_result P1 refused: bad body",
    });
    expect(api.sent.map((c) => c.op)).toEqual(["builder_result", "auditor_result"]);
  });

  it("sends a builder result without its patch once the service has failed on it three times", async () => {
    const failing: MirrorSendResult = { ok: false, retryable: true, status: 500, error: "git apply failed" };
    let mirror = record([built]);
    const api = scriptedApi([failing, failing, failing]);
    for (let turn = 0; turn < 3; turn++) mirror = await flushMirror(runId, mirror, api, log);
    expect(mirror).toEqual(record([]));
    const last = api.sent.at(-1)!;
    expect(last.op === "builder_result" && last.body.patch_content).toBeUndefined();
    expect(last.op === "builder_result" && last.body.notes).toBe("done\n(patch left out: the service failed on it 3 times)");
  });

  it("keeps the service's error to its words in the record, which becomes part of the readable run state", async () => {
    const token = ["ghp", "_", "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8"].join("");
    const api = scriptedApi([{ ok: false, retryable: true, status: 500, error: `failed at https://orchestrator.internal/x?key=${token}` }]);
    const after = await flushMirror(runId, record([start]), api, log);
    expect(after.last_error).toBe("start: failed at [url]");
    const refused = await flushMirror(
      runId,
      record([built]),
      scriptedApi([{ ok: false, retryable: false, status: 422, error: `token ${token}` }]),
      log,
    );
    expect(refused.last_error).toBe("builder_result P1 refused: token [REDACTED]");
  });

  it("with mirroring off, takes every call and keeps none", async () => {
    expect(await flushMirror(runId, record([start, built, audited]), createDisabledAutopackApi(), log)).toEqual(record([]));
  });
});
