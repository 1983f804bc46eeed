import type { ApplicationFunctionOptions, ApplicationFunction, Probot } from "probot";
import type { AutopackApi } from "../autopack-api/client.js";
import type { CursorApi } from "../cursor/client.js";
import type { GitHubMeter } from "../github/meter.js";
import { octokitGitHub } from "../github/octokit-door.js";
import type { LlmPort } from "../llm/port.js";
import { InProcessQueue, type InProcessQueueOptions } from "../queue/in-process-queue.js";
import type { AppJobHandler as JobHandler, AppQueue as JobQueue, AppQueuedJob as QueuedJob, Job } from "../supervisor/jobs.js";
import { WrittenRevisions, type SharedRevisions } from "../supervisor/run-store.js";
import { stateKey } from "../supervisor/state-codec.js";
import { sweepOpenRuns } from "../supervisor/sweep.js";
import { createJobHandler } from "../supervisor/worker.js";
import { Refusals } from "../supervisor/refusals.js";
import { jobAwareLog, runInJob } from "../observability/job-context.js";
import { jobFields, jobLog } from "../observability/job-log.js";
import { AppMetrics } from "../observability/metrics.js";
import { bothMeters, meteredApi } from "../observability/mirror-meter.js";
import { opsRoutes } from "../observability/ops-routes.js";
import { LOG_REDACTION } from "../observability/redaction.js";
import { meterWebhooks } from "./webhook-meter.js";
import { limitWebhookBodies } from "./body-limit.js";
import { registerHandlers } from "./handlers.js";

export interface AutopackSettings {
  appId: number;
  /** Secret of the HMAC over run state (derived into a key). */
  stateSecret: string;
  llm: LlmPort;
  api: AutopackApi;
  /** Cursor's Cloud Agents API (`builder: cursor`); null or absent when `CURSOR_API_KEY` is not set. */
  cursor?: CursorApi | null;
  /** How long calls the Autopack API did not take wait before they are sent again (default a minute). */
  mirrorRetryMs?: number;
  /** Model names per role (for the cost estimate; the LLM port already uses them). */
  models?: { builder: string; auditor: string };
  queue?: Omit<InProcessQueueOptions<Job>, "handler" | "onError">;
  /** Another queue behind the same port (the in-process queue by default). */
  createQueue?: (handler: JobHandler, onError: NonNullable<InProcessQueueOptions<Job>["onError"]>) => JobQueue;
  now?: () => Date;
  /** Re-reconcile every open run when the app starts (default true). */
  sweepOnStart?: boolean;
  /** Told of every call to GitHub, by verb (tests count them). */
  githubMeter?: GitHubMeter;
  /** The status comments' revisions, shared by the processes on one Redis (each process alone by default). */
  revisions?: SharedRevisions;
  /** The metrics `GET /metrics` serves (a fresh set per app by default). */
  metrics?: AppMetrics;
}

export interface Autopack {
  app: ApplicationFunction;
  /** The job queue, once the app is loaded (tests drain it). */
  readonly queue: JobQueue | null;
  /** The startup sweep (how many runs it queued), once the app is loaded with it on. */
  readonly sweep: Promise<number> | null;
  /** What `GET /metrics` serves. */
  readonly metrics: AppMetrics;
}

/** The Probot application: webhooks in, jobs through the queue, the Supervisor in the worker. */
export function createAutopack(settings: AutopackSettings): Autopack {
  let queue: JobQueue | null = null;
  let sweep: Promise<number> | null = null;
  const metrics = settings.metrics ?? new AppMetrics();
  const app = (probot: Probot, options?: ApplicationFunctionOptions) => {
    // Webhook bodies over GitHub's 25 MB are refused as they stream in, before anything reads them whole.
    limitWebhookBodies(probot);
    // Secrets never reach a log line, whatever a caller puts in its fields.
    const log = probot.log.child({}, { redact: LOG_REDACTION });
    const onError = (error: unknown, item: QueuedJob, attempt: number, final: boolean) => {
      metrics.jobFailed(item.job.kind, final);
      jobLog(log, jobFields(item.job, { id: item.id, attempt }))[final ? "error" : "warn"](
        { err: error instanceof Error ? error.message : String(error) },
        final ? "job failed; giving up" : "job failed; retrying",
      );
    };
    // The queue runs the worker, and the worker queues follow-up jobs: tie the knot through a closure.
    let handle: JobHandler = async () => undefined;
    const run: JobHandler = (job, meta) => handle(job, meta);
    const jobs: JobQueue = settings.createQueue
      ? settings.createQueue(run, onError)
      : new InProcessQueue<Job>({ ...settings.queue, handler: run, onError });
    queue = jobs;
    metrics.watchQueue(() => jobs.depth());
    // Each client's request lines go to the log of the job that asked for it.
    const auth = async (installationId?: number) => {
      const client = await probot.auth(installationId);
      client.log = jobAwareLog(client.log);
      return client;
    };
    const github = octokitGitHub(auth, { meter: bothMeters(metrics.github, settings.githubMeter) });
    const deps = {
      github,
      queue: jobs,
      llm: settings.llm,
      cursor: settings.cursor ?? null,
      api: meteredApi(settings.api, metrics),
      mirrorRetryMs: settings.mirrorRetryMs ?? 60_000,
      models: settings.models ?? { builder: "unknown", auditor: "unknown" },
      stateKey: stateKey(settings.stateSecret),
      written: new WrittenRevisions(10_000, settings.revisions),
      appId: settings.appId,
      log,
      now: settings.now ?? (() => new Date()),
      metrics: metrics.supervisor,
    };
    // Each job logs through its own logger: every line carries its delivery, repository, issue, run and phase.
    const refusals = new Refusals();
    handle = async (job, meta) => {
      const done = metrics.jobStarted(job.kind);
      try {
        const jl = jobLog(log, jobFields(job, meta));
        await runInJob(jl, () => createJobHandler({ ...deps, log: jl }, refusals)(job, meta));
        done("completed");
      } catch (error) {
        done("threw");
        throw error;
      }
    };
    const counted = meterWebhooks(probot, jobs, metrics);
    registerHandlers(counted.probot, counted.queue, settings.appId, refusals);
    // GET /metrics, /healthz and /readyz beside the webhooks (Probot's server, or the worker's own).
    try {
      options?.addHandler(opsRoutes(metrics.registry, async () => (await jobs.depth(), null)));
    } catch {
      // Loaded by an embedder without an HTTP server: there is nowhere to serve them.
    }
    if (!settings.api.enabled) log.info({}, "AUTOPACK_API_URL is not set: mirroring to the Autopack API is off");
    if (settings.sweepOnStart ?? true) {
      const sweepNow = () =>
        sweepOpenRuns({ github, queue: jobs, log }, new Date().toISOString()).catch((error: unknown) => {
          log.warn({ err: error instanceof Error ? error.message : String(error) }, "startup sweep failed");
          return 0;
        });
      sweep = sweepNow();
      // Redis came back empty: its jobs are gone, so open runs are swept again as at a start.
      jobs.onLost?.(() => {
        log.warn({}, "the queue's Redis lost its data; sweeping open runs again");
        sweep = sweepNow();
      });
    }
  };
  return {
    app,
    get queue() {
      return queue;
    },
    get sweep() {
      return sweep;
    },
    metrics,
  };
}
