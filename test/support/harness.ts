import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import pino from "pino";
import { createAutopack, type Autopack } from "../../src/app/create-app.js";
import { createAutopackApi } from "../../src/autopack-api/client.js";
import { createDisabledAutopackApi } from "../../src/autopack-api/disabled.js";
import { ModelEnvSchema, modelSettings, type ModelEnv } from "../../src/config/env.js";
import { createCursorApi } from "../../src/cursor/client.js";
import { CallCounts } from "../../src/github/meter.js";
import { createOpenAiLlm } from "../../src/llm/openai-llm.js";
import { InProcessQueue } from "../../src/queue/in-process-queue.js";
import type { AppQueuedJob as QueuedJob, Job } from "../../src/supervisor/jobs.js";
import { startFakeAutopackApi, type FakeAutopackApi } from "./fake-autopack-api/index.js";
import { startFakeCursor, type FakeCursor } from "./fake-cursor/index.js";
import { startFakeLlm, type FakeLlm, type FakeLlmOptions } from "./fake-llm.js";
import { startGitHubSim, type GitHubSim } from "./github-sim/index.js";
import { deliverWebhook } from "./webhooks.js";
import type { SharedRevisions } from "../../src/supervisor/run-store.js";

export const WEBHOOK_SECRET = "test-webhook-secret";

export interface Harness {
  sim: GitHubSim;
  llm: FakeLlm;
  api: FakeAutopackApi | null;
  /** The fake Cursor API, when the harness was asked for one. */
  cursor: FakeCursor | null;
  autopack: Autopack;
  /** The app's calls to GitHub, per verb of its door (across restarts). */
  calls: CallCounts;
  webhookUrl: string;
  /** Delivers a signed webhook through Probot's HTTP middleware, then waits until every queued job is done. */
  send(name: string, payload: object, deliveryId?: string): Promise<number>;
  /** Waits until the queue is idle. */
  settle(): Promise<void>;
  /** Build and audit jobs held back while `hold` is on (to look at a run before any work starts). */
  held: QueuedJob[];
  hold: boolean;
  /** While set, finished builds' and audits' outcomes are dropped, as if the process died before recording them. */
  loseOutcomes: boolean;
  /** Queues the held jobs again and waits until everything is done. */
  release(): Promise<void>;
  /** Simulates a crash and a restart: the queue and everything held in memory are lost; the new process sweeps open runs. */
  restart(sweep?: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Mirror into a fake Autopack API (default true). */
  mirror?: boolean;
  apiKey?: string;
  now?: () => Date;
  /** The status comments' revisions as processes on one Redis share them (across restarts too). */
  revisions?: SharedRevisions;
  /** Start with build and audit jobs held back. */
  hold?: boolean;
  /** Run the startup sweep when the app loads (off by default). */
  sweep?: boolean;
  /** Mirror into this orchestrator instead of the fake (a hand check against the real service). */
  apiUrl?: string;
  /**
   * The model variables, as the environment gives them (`AUTOPACK_AUDITOR_MODEL`, `AUTOPACK_AUDITOR_API`, …),
   * read as the app reads them; the models default to `builder-model` and `auditor-model`.
   */
  modelEnv?: { [K in keyof ModelEnv]?: string };
  /** The fake model server's APIs and refusals. */
  fakeLlm?: FakeLlmOptions;
  /** Start a fake Cursor API; `appKey` is the CURSOR_API_KEY the app gets (default the fake's own key; null: none). */
  cursor?: { appKey?: string | null };
}

/**
 * The app as it runs in production, over real HTTP on loopback: Probot's webhook middleware, its
 * Octokit aimed at the GitHub simulator, the OpenAI client aimed at the fake model server, and the
 * Autopack API client aimed at the fake orchestrator. Only retries and throttling are turned down.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = await startGitHubSim();
  const llm = await startFakeLlm(options.fakeLlm);
  const { models, roles } = modelSettings(
    ModelEnvSchema.parse({ AUTOPACK_BUILDER_MODEL: "builder-model", AUTOPACK_AUDITOR_MODEL: "auditor-model", ...options.modelEnv }),
  );
  const mirror = options.mirror ?? true;
  const api = mirror && !options.apiUrl ? await startFakeAutopackApi(options.apiKey ? { apiKey: options.apiKey } : {}) : null;
  const apiUrl = options.apiUrl ?? api?.url;
  const cursor = options.cursor ? await startFakeCursor(sim) : null;
  const cursorKey = options.cursor?.appKey === undefined ? cursor?.apiKey : options.cursor.appKey;
  const control = { hold: options.hold ?? false, held: [] as QueuedJob[], loseOutcomes: false };
  let queue: InProcessQueue<Job> | null = null;
  const calls = new CallCounts();
  /** One process's worth of app: a fresh queue (nothing in memory survives), the same outside world. */
  const boot = async (sweep: boolean) => {
    const autopack = createAutopack({
      appId: sim.appId,
      stateSecret: WEBHOOK_SECRET,
      llm: createOpenAiLlm({
        apiKey: "test-key",
        baseURL: llm.baseURL,
        models,
        roles,
        maxRetries: 1,
        timeoutMs: 5_000,
      }),
      api: apiUrl
        ? createAutopackApi({
            baseUrl: apiUrl,
            ...(options.apiKey ? { apiKey: options.apiKey } : {}),
            retries: 1,
            minRetryDelayMs: 5,
            maxRetryDelayMs: 20,
            timeoutMs: 2_000,
          })
        : createDisabledAutopackApi(),
      cursor:
        cursor && cursorKey
          ? createCursorApi({
              baseUrl: cursor.url,
              apiKey: cursorKey,
              retries: 2,
              minRetryDelayMs: 5,
              maxRetryDelayMs: 1_500,
              timeoutMs: 5_000,
              follow: { minMs: 5, maxMs: 20, maxWaitMs: 3_000 },
            })
          : null,
      mirrorRetryMs: 100,
      models,
      sweepOnStart: sweep,
      githubMeter: calls,
      ...(options.revisions ? { revisions: options.revisions } : {}),
      createQueue: (handler, onError) => {
        queue = new InProcessQueue<Job>({
          attempts: 2,
          minRetryDelayMs: 5,
          maxRetryDelayMs: 20,
          concurrency: 4,
          onError,
          handler: async (job: Job, meta) => {
            if (control.hold && (job.kind === "build" || job.kind === "audit")) {
              control.held.push({ id: meta.id, key: `held:${meta.id}`, job });
              return;
            }
            // The process "dies" after a build or audit finished but before its outcome was recorded.
            if (control.loseOutcomes && job.kind === "event") return;
            await handler(job, meta);
          },
        });
        return queue;
      },
      ...(options.now ? { now: options.now } : {}),
    });
    const probot = new Probot({
      appId: sim.appId,
      privateKey: sim.privateKey,
      secret: WEBHOOK_SECRET,
      baseUrl: sim.baseUrl,
      log: pino({ level: process.env["TEST_LOG_LEVEL"] ?? "silent" }),
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
        ...o,
        throttle: { ...(o["throttle"] as object), enabled: false },
        retry: { enabled: false },
      })),
    });
    const middleware = await createNodeMiddleware(autopack.app, { probot });
    return { autopack, middleware };
  };
  let current = await boot(options.sweep ?? false);
  const server: Server = createServer((req, res) => {
    void current.middleware(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  // Jobs queue their follow-ups before they finish, and a webhook's job is queued before Probot
  // answers it, so an idle queue means the app has done everything it will do.
  const settle = () => current.autopack.queue!.drain();
  return {
    sim,
    llm,
    api,
    cursor,
    get autopack() {
      return current.autopack;
    },
    calls,
    webhookUrl,
    settle,
    held: control.held,
    get hold() {
      return control.hold;
    },
    set hold(value: boolean) {
      control.hold = value;
    },
    set loseOutcomes(value: boolean) {
      control.loseOutcomes = value;
    },
    async release() {
      control.hold = false;
      for (const item of control.held.splice(0)) await queue!.enqueue({ ...item, id: `${item.id}:released` });
      await settle();
    },
    async send(name, payload, deliveryId) {
      const { status } = await deliverWebhook(webhookUrl, name, payload, WEBHOOK_SECRET, deliveryId);
      await settle();
      return status;
    },
    async restart(sweep = true) {
      await current.autopack.queue?.close();
      control.held.length = 0;
      current = await boot(sweep);
      await current.autopack.sweep;
      await settle();
    },
    async close() {
      await current.autopack.queue?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([sim.close(), llm.close(), api?.close(), cursor?.close()]);
    },
  };
}
