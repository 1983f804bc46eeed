import { createEvents } from "../webhooks.js";
import { createActions } from "./actions.js";
import { AppAuth } from "./auth.js";
import { createInspection } from "./inspect.js";
import { OpenApiChecker } from "./openapi-check.js";
import { loadOpenApiIndex } from "./openapi-index.js";
import { Router } from "./router.js";
import { appRoutes } from "./routes/app.js";
import { checkRoutes } from "./routes/checks.js";
import { gitRoutes } from "./routes/git.js";
import { issueRoutes } from "./routes/issues.js";
import { pullRoutes } from "./routes/pulls.js";
import { repoRoutes } from "./routes/repos.js";
import { SimServer } from "./server.js";
import { SimState } from "./state.js";
const APP_ID = 4242;
const INSTALLATION_ID = 31337;
/** Starts a GitHub REST simulator on a loopback port. */
export async function startGitHubSim(options = {}) {
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
  const sim = {
    ...createActions(s),
    ...inspection,
    baseUrl: s.baseUrl,
    host: s.host,
    appId: APP_ID,
    appSlug: s.app.slug,
    botLogin: s.botLogin,
    privateKey: auth.privateKey,
    installationId: INSTALLATION_ID,
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
    events: undefined,
    close: () => server.close(),
  };
  sim.events = createEvents(sim);
  return sim;
}
//# sourceMappingURL=index.js.map
