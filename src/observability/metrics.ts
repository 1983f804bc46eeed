import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { GitHubMeter } from "../github/meter.js";
import type { QueueDepth } from "../queue/queue.js";
import type { SupervisorMetrics } from "../supervisor/metrics.js";

/** How long jobs and the Builder's and Auditor's attempts take, in seconds: from a webhook's reconcile to a long build. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
/**
 * How often, in ms, the event loop's lag is sampled for `nodejs_eventloop_lag_*`. prom-client's 10 ms
 * wakes an idle process 100 times a second, which cost more CPU than the app's own work between
 * webhooks; every 100 ms still shows a loop held up for longer than that.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

export type WebhookOutcome = "queued" | "ignored" | "failed";
export type JobState = "completed" | "retried" | "failed";
export type MirrorOutcome = "sent" | "retrying" | "refused";

/**
 * The app's metrics, in one prom-client registry per app (tests run many apps in one process, so
 * nothing goes to prom-client's global registry). `GET /metrics` serves `registry`.
 */
export class AppMetrics {
  readonly registry = new Registry();
  readonly #webhooks: Counter<"event" | "outcome">;
  readonly #jobs: Counter<"kind" | "state">;
  readonly #jobsRunning: Gauge<"kind">;
  readonly #jobSeconds: Histogram<"kind">;
  readonly #builds: Counter<"outcome">;
  readonly #audits: Counter<"outcome">;
  readonly #workSeconds: Histogram<"kind" | "outcome">;
  readonly #tokens: Counter<"role" | "model" | "direction">;
  readonly #cost: Counter<"role" | "model">;
  readonly #github: Counter<"verb">;
  readonly #rateLimit: Gauge<"resource">;
  readonly #mirror: Counter<"op" | "outcome">;
  /** Pending mirror calls per run, as this process last saw them. */
  readonly #pendingByRun = new Map<string, number>();
  #depth: (() => Promise<QueueDepth>) | null = null;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    const gauge = <L extends string>(name: string, help: string, labelNames: L[]) => new Gauge<L>({ name, help, labelNames, registers });
    const histogram = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Histogram<L>({ name, help, labelNames, buckets: DURATION_BUCKETS, registers });
    this.#webhooks = counter(
      "autopack_webhooks_total",
      "Webhooks received, by event (name.action) and outcome: queued (a job was queued), ignored (nothing to do), failed (the handler threw)",
      ["event", "outcome"],
    );
    this.#jobs = counter(
      "autopack_jobs_total",
      "Jobs run, by kind (intent, reconcile, event, build, audit) and state: completed, retried (failed, tried again), failed (for good)",
      ["kind", "state"],
    );
    this.#jobsRunning = gauge("autopack_jobs_running", "Jobs running now in this process, by kind", ["kind"]);
    this.#jobSeconds = histogram("autopack_job_duration_seconds", "How long one attempt of a job took, by kind", ["kind"]);
    const depth = () => this.#depth;
    new Gauge({
      name: "autopack_queue_depth",
      help: "Jobs in the queue, by state: waiting, delayed (retries, time-outs), running (with Redis: across every process)",
      labelNames: ["state"],
      registers,
      async collect() {
        const read = depth();
        if (!read) return;
        // An unreachable Redis leaves the last figures; /readyz says so.
        const counts = await read().catch(() => null);
        if (!counts) return;
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    this.#builds = counter("autopack_builds_total", "Builder attempts finished, by outcome: success or failed", ["outcome"]);
    this.#audits = counter(
      "autopack_audits_total",
      "Auditor attempts finished, by outcome: the recommendation (approve, revise, escalate) or stale (the head moved)",
      ["outcome"],
    );
    this.#workSeconds = histogram(
      "autopack_phase_work_duration_seconds",
      "How long a phase's build or audit attempt took, by kind and outcome",
      ["kind", "outcome"],
    );
    this.#tokens = counter(
      "autopack_llm_tokens_total",
      "Model tokens spent, by role (builder, auditor), model and direction (prompt, completion)",
      ["role", "model", "direction"],
    );
    this.#cost = counter(
      "autopack_llm_cost_usd_total",
      "Estimated model cost in US dollars, by role and model (only models the repository gives `prices` for)",
      ["role", "model"],
    );
    this.#github = counter("autopack_github_requests_total", "Calls to GitHub, by verb of the app's door to GitHub", ["verb"]);
    this.#rateLimit = gauge(
      "autopack_github_rate_limit_remaining",
      "Requests GitHub said were left in the current rate-limit window (x-ratelimit-remaining), by resource",
      ["resource"],
    );
    this.#mirror = counter(
      "autopack_mirror_calls_total",
      "Calls to the orchestrator (Autopack API), by operation and outcome: sent, retrying (kept pending), refused (dropped)",
      ["op", "outcome"],
    );
    const pending = this.#pendingByRun;
    new Gauge({
      name: "autopack_mirror_calls_pending",
      help: "Mirror calls runs still owe the orchestrator, as this process last saw them",
      registers,
      collect() {
        this.set([...pending.values()].reduce((a, b) => a + b, 0));
      },
    });
  }

  /** Where the queue depth is read from at each scrape. */
  watchQueue(depth: () => Promise<QueueDepth>): void {
    this.#depth = depth;
  }

  webhook(event: string, outcome: WebhookOutcome): void {
    this.#webhooks.inc({ event, outcome });
  }

  /** A job attempt starts; the answer ends it. */
  jobStarted(kind: string): (outcome: "completed" | "threw") => void {
    this.#jobsRunning.inc({ kind });
    const end = this.#jobSeconds.startTimer({ kind });
    return (outcome) => {
      this.#jobsRunning.dec({ kind });
      end();
      if (outcome === "completed") this.#jobs.inc({ kind, state: "completed" });
    };
  }

  /** A job attempt threw: retried, or failed for good. */
  jobFailed(kind: string, final: boolean): void {
    this.#jobs.inc({ kind, state: final ? "failed" : "retried" });
  }

  mirrorCall(op: string, outcome: MirrorOutcome): void {
    this.#mirror.inc({ op, outcome });
  }

  /** Counts the door's calls by verb, and keeps GitHub's word on the rate limit. */
  readonly github: GitHubMeter = {
    count: (verb) => this.#github.inc({ verb }),
    rateLimit: (remaining, resource) => this.#rateLimit.set({ resource }, remaining),
  };

  readonly supervisor: SupervisorMetrics = {
    workFinished: ({ kind, outcome, seconds }) => {
      (kind === "build" ? this.#builds : this.#audits).inc({ outcome });
      this.#workSeconds.observe({ kind, outcome }, seconds);
    },
    llmUsage: ({ role, model, promptTokens, completionTokens, costUsd }) => {
      this.#tokens.inc({ role, model, direction: "prompt" }, promptTokens);
      this.#tokens.inc({ role, model, direction: "completion" }, completionTokens);
      if (costUsd !== null) this.#cost.inc({ role, model }, costUsd);
    },
    mirrorPending: (runId, calls) => {
      if (calls > 0) this.#pendingByRun.set(runId, calls);
      else this.#pendingByRun.delete(runId);
    },
  };
}
