import { createEvents, type SimEvents } from "../webhooks.js";
import { createActions, type SimActions } from "./actions.js";
import { AppAuth } from "./auth.js";
import { createInspection, type SimInspection } from "./inspect.js";
import { OpenApiChecker } from "./openapi-check.js";
import { loadOpenApiIndex } from "./openapi-index.js";
import { Router } from "./router.js";
import { appRoutes } from "./routes/app.js";
import { checkRoutes } from "./routes/checks.js";
import { gitRoutes } from "./routes/git.js";
import { issueRoutes } from "./routes/issues.js";
import { pullRoutes } from "./routes/pulls.js";
import { repoRoutes } from "./routes/repos.js";
import { SimServer, type FaultSpec, type RequestLogEntry } from "./server.js";
import { SimState } from "./state.js";

export type { FaultSpec, RequestLogEntry } from "./server.js";
export type { CheckRunSpec, SimActions, SimRepo } from "./actions.js";
export type * from "./inspect.js";
export type { Role } from "./types.js";

export interface GitHubSimOptions {
  /** Default page size of list endpoints (GitHub's is 30): lower it to force pagination. */
  perPage?: number;
  /** Recursive trees list at most this many entries and say `truncated: true` beyond (default 100000). */
  treeTruncateAt?: number;
}

export interface GitHubSim extends SimActions, SimInspection {
  /** `http://127.0.0.1:PORT/api/v3`: Probot's `baseUrl`. */
  baseUrl: string;
  /** `127.0.0.1:PORT`: `GHE_HOST` (with `GHE_PROTOCOL=http`). */
  host: string;
  appId: number;
  appSlug: string;
  /** `${appSlug}[bot]`, the user the app's writes are attributed to. */
  botLogin: string;
  /** PEM (PKCS#1) of the app's RSA key; the simulator checks app JWTs against its public half. */
  privateKey: string;
  /** The installation on the first account that got a repository (every test's, unless it has several accounts). */
  installationId: number;
  /** The installation on an account: each account with repositories has its own, with its own tokens. */
  installationFor(account: string): number;
  /** Requests being served now, and the most at once so far (`peak` may be reset to 0). */
  inFlight: { now: number; peak: number };
  /** Every request, in arrival order. */
  requests: RequestLogEntry[];
  /** Requests that GitHub's REST description refuses, unknown routes, and simulator failures. */
  openapiErrors: string[];
  /** How long getting GitHub's REST description took in this process (ms; near 0 once cached). */
  openapiLoadMs: number;
  /** Throws, listing them, when `openapiErrors` is not empty. */
  assertClean(): void;
  /** Makes matching requests fail (or wait): 5xx, 403/429 with `retry-after`, latency. */
  fault(spec: FaultSpec): void;
  /** Invalidates every installation token handed out, so the next call answers 401. */
  revokeTokens(): void;
  /** Webhook payload builders reading the simulator's state. */
  events: SimEvents;
  close(): Promise<void>;
}

const APP_ID = 4242;
const INSTALLATION_ID = 31337;

/** Starts a GitHub REST simulator on a loopback port. */
export async function startGitHubSim(options: GitHubSimOptions = {}): Promise<GitHubSim> {
  const index = await loadOpenApiIndex();
  const checker = new OpenApiChecker(index);
  const s = new SimState(
    { perPage: options.perPage ?? 30, treeTruncateAt: options.treeTruncateAt ?? 100_000 },
    { id: APP_ID, slug: "autopack", name: "Autopack", owner: "autopack-dev" },
    INSTALLATION_ID,
  );
  const auth = new AppAuth(APP_ID);
  const router = new Router();
  appRoutes(router, auth);
  repoRoutes(router);
  issueRoutes(router);
  gitRoutes(router);
  pullRoutes(router);
  checkRoutes(router);
  const server = new SimServer(s, auth, router, checker);
  s.origin = await server.listen();
  const inspection = createInspection(s);
  const sim: GitHubSim = {
    ...createActions(s),
    ...inspection,
    baseUrl: s.baseUrl,
    host: s.host,
    appId: APP_ID,
    appSlug: s.app.slug,
    botLogin: s.botLogin,
    privateKey: auth.privateKey,
    installationId: INSTALLATION_ID,
    installationFor: (account) => s.installationOn(account).id,
    inFlight: server.inFlight,
    requests: server.requests,
    openapiErrors: server.openapiErrors,
    openapiLoadMs: index.loadMs,
    assertClean: () => {
      if (server.openapiErrors.length > 0) {
        throw new Error(`github-sim: ${server.openapiErrors.length} request(s) GitHub would refuse:\n${server.openapiErrors.join("\n")}`);
      }
    },
    fault: (spec) => server.addFault(spec),
    revokeTokens: () => auth.revokeAll(),
    events: undefined as unknown as SimEvents,
    close: () => server.close(),
  };
  sim.events = createEvents(sim);
  return sim;
}
