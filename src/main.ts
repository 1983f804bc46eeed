import { existsSync, readFileSync, statSync } from "node:fs";
import { createProbot, run } from "probot";
import { createAutopack } from "./app/create-app.js";
import { redisQueue, rolePlan, serveWorker, type RouteHandler } from "./app/scale-out.js";
import { serveSetupPage, wantsSetup } from "./app/setup-mode.js";
import { createAutopackApi } from "./autopack-api/client.js";
import { createCursorApi } from "./cursor/client.js";
import { createDisabledAutopackApi } from "./autopack-api/disabled.js";
import { modelSettings, readEnv } from "./config/env.js";
import { octokitThrottledOn } from "./github/shared-throttling.js";
import { createOpenAiLlm } from "./llm/openai-llm.js";
import { revisionsAt } from "./queue/redis-revisions.js";
import { AppMetrics } from "./observability/metrics.js";

/**
 * `npm start`: validate the environment, then serve webhooks on HOST:PORT (Probot's server). With no
 * GitHub App credentials at all, serve Probot's setup page instead, which registers the app.
 */
async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  if (wantsSetup(process.env)) {
    if (!(await serveSetupPage(process.env))) process.exit(1);
    return;
  }
  const result = readEnv(process.env);
  if (!result.ok) {
    console.error(result.message);
    process.exit(1);
  }
  const env = result.env;
  let privateKey = env.PRIVATE_KEY?.replace(/\\n/g, "\n");
  if (!privateKey && env.PRIVATE_KEY_PATH) {
    if (!existsSync(env.PRIVATE_KEY_PATH) || !statSync(env.PRIVATE_KEY_PATH).isFile()) {
      console.error(`Autopack cannot start: PRIVATE_KEY_PATH points to ${env.PRIVATE_KEY_PATH}, which is not a file.`);
      process.exit(1);
    }
    privateKey = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
  }
  if (!privateKey || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
    console.error("Autopack cannot start: the private key is not a PEM key (it should start with -----BEGIN RSA PRIVATE KEY-----).");
    process.exit(1);
  }
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    console.warn(
      "Autopack: OPENAI_API_KEY is not set (nor OPENAI_BASE_URL): runs start, but builds and audits will fail until a model is configured.",
    );
  }
  const plan = rolePlan(env.AUTOPACK_ROLE);
  const { models, roles } = modelSettings(env);
  const autopack = createAutopack({
    appId: Number(env.APP_ID),
    stateSecret: env.AUTOPACK_STATE_SECRET ?? env.WEBHOOK_SECRET,
    llm: createOpenAiLlm({
      ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
      ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
      models,
      roles,
    }),
    models,
    api: env.AUTOPACK_API_URL
      ? createAutopackApi({ baseUrl: env.AUTOPACK_API_URL, ...(env.AUTOPACK_API_KEY ? { apiKey: env.AUTOPACK_API_KEY } : {}) })
      : createDisabledAutopackApi(),
    cursor: env.CURSOR_API_KEY ? createCursorApi({ baseUrl: env.CURSOR_API_URL, apiKey: env.CURSOR_API_KEY }) : null,
    sweepOnStart: plan.sweep,
    metrics: new AppMetrics({ processMetrics: true }),
    ...(env.REDIS_URL
      ? { createQueue: redisQueue(env.REDIS_URL, env.AUTOPACK_ROLE, env.AUTOPACK_JOB_LEASE_MS), revisions: revisionsAt(env.REDIS_URL) }
      : {}),
  });
  // With Redis, every process on it shares the spacing of GitHub writes (`octokitThrottledOn`). Probot
  // is not given REDIS_URL: it would share its in-flight slots too, which a killed process holds for a minute.
  const probotEnv = { ...process.env, PRIVATE_KEY: privateKey, PRIVATE_KEY_PATH: undefined, REDIS_URL: undefined };
  const Octokit = env.REDIS_URL ? octokitThrottledOn(env.REDIS_URL) : undefined;
  let stopServing: () => Promise<unknown>;
  if (plan.webhooks) {
    const server = await run(autopack.app, { env: probotEnv, ...(Octokit ? { Octokit } : {}) });
    stopServing = () => server.stop();
  } else {
    const probot = createProbot({ env: probotEnv, ...(Octokit ? { overrides: { Octokit } } : {}) });
    const routes: RouteHandler[] = [];
    await probot.load(autopack.app, { cwd: process.cwd(), addHandler: (handler) => routes.push(handler) });
    const health = await serveWorker(env.HOST, env.PORT, routes);
    const address = health.address();
    console.info(
      `Autopack worker: running jobs from Redis; health on port ${typeof address === "object" && address ? address.port : env.PORT}` +
        " (GET /healthz, /readyz, /metrics)",
    );
    stopServing = () => new Promise((resolve) => health.close(resolve));
  }
  // A deploy sends SIGTERM: stop taking webhooks, let running jobs finish (up to a grace period), exit.
  // What is left is picked up by the next process's startup sweep.
  process.once("SIGTERM", () => {
    console.info("Autopack: SIGTERM received; finishing running jobs");
    const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    void Promise.race([Promise.all([stopServing(), autopack.queue?.close()]), grace]).finally(() => process.exit(0));
  });
}

const SHUTDOWN_GRACE_MS = 25_000;

main().catch((error: unknown) => {
  console.error(`Autopack stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
