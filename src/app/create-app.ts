import type { ApplicationFunction, Probot } from "probot";
import type { AutopackApi } from "../autopack-api/client.js";
import type { GitHubMeter } from "../github/meter.js";
import { probotGitHub } from "../github/octokit-door.js";
import type { LlmPort } from "../llm/port.js";
import { InProcessQueue, type InProcessQueueOptions } from "../queue/in-process-queue.js";
import type { AppJobHandler as JobHandler, AppQueue as JobQueue, AppQueuedJob as QueuedJob, Job } from "../supervisor/jobs.js";
import { WrittenRevisions } from "../supervisor/run-store.js";
import { stateKey } from "../supervisor/state-codec.js";
import { sweepOpenRuns } from "../supervisor/sweep.js";
import { createJobHandler } from "../supervisor/worker.js";
import { limitWebhookBodies } from "./body-limit.js";
import { registerHandlers } from "./handlers.js";

export interface AutopackSettings {
  appId: number;
  /** Secret of the HMAC over run state (derived into a key). */
  stateSecret: string;
  llm: LlmPort;
  api: AutopackApi;
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
}

export interface Autopack {
  app: ApplicationFunction;
  /** The job queue, once the app is loaded (tests drain it). */
  readonly queue: JobQueue | null;
  /** The startup sweep (how many runs it queued), once the app is loaded with it on. */
  readonly sweep: Promise<number> | null;
}

/** The Probot application: webhooks in, jobs through the queue, the Supervisor in the worker. */
export function createAutopack(settings: AutopackSettings): Autopack {
  let queue: JobQueue | null = null;
  let sweep: Promise<number> | null = null;
  const app = (probot: Probot) => {
    // Webhook bodies over GitHub's 25 MB are refused as they stream in, before anything reads them whole.
    limitWebhookBodies(probot);
    const onError = (error: unknown, item: QueuedJob, attempt: number, final: boolean) =>
      probot.log[final ? "error" : "warn"](
        { job: item.id, kind: item.job.kind, attempt, err: error instanceof Error ? error.message : String(error) },
        final ? "job failed; giving up" : "job failed; retrying",
      );
    // The queue runs the worker, and the worker queues follow-up jobs: tie the knot through a closure.
    let handle: JobHandler = async () => undefined;
    const run: JobHandler = (job, meta) => handle(job, meta);
    const jobs: JobQueue = settings.createQueue
      ? settings.createQueue(run, onError)
      : new InProcessQueue<Job>({ ...settings.queue, handler: run, onError });
    queue = jobs;
    const github = probotGitHub(probot, settings.githubMeter ? { meter: settings.githubMeter } : {});
    handle = createJobHandler({
      github,
      queue: jobs,
      llm: settings.llm,
      api: settings.api,
      mirrorRetryMs: settings.mirrorRetryMs ?? 60_000,
      models: settings.models ?? { builder: "unknown", auditor: "unknown" },
      stateKey: stateKey(settings.stateSecret),
      written: new WrittenRevisions(),
      appId: settings.appId,
      log: probot.log,
      now: settings.now ?? (() => new Date()),
    });
    registerHandlers(probot, jobs, settings.appId);
    if (!settings.api.enabled) probot.log.info("AUTOPACK_API_URL is not set: mirroring to the Autopack API is off");
    if (settings.sweepOnStart ?? true) {
      const sweepNow = () =>
        sweepOpenRuns({ github, queue: jobs, log: probot.log }, new Date().toISOString()).catch((error: unknown) => {
          probot.log.warn({ err: error instanceof Error ? error.message : String(error) }, "startup sweep failed");
          return 0;
        });
      sweep = sweepNow();
      // Redis came back empty: its jobs are gone, so open runs are swept again as at a start.
      jobs.onLost?.(() => {
        probot.log.warn("the queue's Redis lost its data; sweeping open runs again");
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
  };
}
