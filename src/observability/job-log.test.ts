import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Job } from "../supervisor/jobs.js";
import { jobFields, jobLog } from "./job-log.js";
import { LOG_REDACTION } from "./redaction.js";

const target = { installationId: 1, owner: "acme", repo: "widgets", issue: 12 };

/** A logger as the app makes it (Probot's pino, then the redacting child), writing into `lines`. */
function capture(): { log: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: "trace" }, sink).child({}, { redact: LOG_REDACTION }), lines };
}

describe("a job's log lines", () => {
  it("carry the delivery of a webhook's job, the repository, issue, run and phase", () => {
    const start: Job = { kind: "intent", target, intent: { type: "start", sender: "maintainer", label: "autopack", body: "" } };
    expect(jobFields(start, { id: "72d3162e-cc78-11e3-81ab-4c9367dc0958", attempt: 1 })).toMatchObject({
      deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      repo: "acme/widgets",
      issue: 12,
      runId: null,
      phase: null,
    });
    // A command on a pull request handed to its run's issue keeps its delivery.
    expect(jobFields(start, { id: "d-1:run", attempt: 1 }).deliveryId).toBe("d-1");
    const build: Job = { kind: "build", target, runId: "gh-7-12-1", phaseId: "P2", attempt: 2, feedback: null, startOver: false };
    expect(jobFields(build, { id: "build:gh-7-12-1/P2/2", attempt: 1 })).toMatchObject({
      deliveryId: null,
      runId: "gh-7-12-1",
      phase: "P2",
    });
    const timeout: Job = { kind: "reconcile", target, reason: "checks time-out of P1" };
    expect(jobFields(timeout, { id: "timeout:gh-7-12-1/P1/1/x", attempt: 1 }).deliveryId).toBeNull();
  });

  it("keep the job's fields over a caller's, take the caller's where the job knows nothing yet, and learn the run id", () => {
    const { log, lines } = capture();
    const start: Job = { kind: "intent", target, intent: { type: "start", sender: "maintainer", label: "autopack", body: "" } };
    const jl = jobLog(log, jobFields(start, { id: "d-2", attempt: 1 }));
    jl.info({ issue: { owner: "acme", repo: "widgets", issue: 12 }, runId: "gh-7-12-3" }, "run started");
    jl.bind!({ runId: "gh-7-12-3" });
    jl.warn({}, "later");
    expect(lines[0]).toMatchObject({
      issue: 12,
      runId: "gh-7-12-3",
      deliveryId: "d-2",
      repo: "acme/widgets",
      phase: null,
      msg: "run started",
    });
    expect(lines[1]).toMatchObject({ runId: "gh-7-12-3", msg: "later" });
  });

  it("never show a key, token or secret a caller put in its fields", () => {
    const { log, lines } = capture();
    const build: Job = { kind: "build", target, runId: "r", phaseId: "P1", attempt: 1, feedback: null, startOver: false };
    jobLog(log, jobFields(build, { id: "build:r/P1/1", attempt: 1 })).error(
      { apiKey: "sk-live-1", options: { token: "ghs_abc", headers: { authorization: "Bearer x", "x-api-key": "k" } }, secret: "s" },
      "failed",
    );
    const text = JSON.stringify(lines);
    for (const value of ["sk-live-1", "ghs_abc", "Bearer x", '"k"', '"s"']) expect(text).not.toContain(value);
    expect(lines[0]).toMatchObject({ apiKey: "[redacted]", secret: "[redacted]", phase: "P1" });
  });
});
