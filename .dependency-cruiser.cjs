/**
 * The dependency rule: imports point inward, app -> supervisor -> agents (builder, auditor, planner) -> ports
 * (github, llm, autopack-api, queue) -> domain (plan, policy, config). `npm test` runs it
 * (test/architecture.test.ts); there are no exceptions.
 */
const UPPER = "^src/(app|supervisor|builder|auditor|planner)/";
const PORTS = "^src/(github|llm|autopack-api|queue|cursor)/";
const DOMAIN = "^src/(plan|policy|config)/";
const NOT_TESTS = "\\.test\\.ts$|/fixtures/";

module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", from: { path: "^src/" }, to: { circular: true } },
    {
      name: "domain-imports-no-port-or-upper-layer",
      comment: "plan, policy and config are plain logic: no SDK, no I/O, nothing above them",
      severity: "error",
      from: { path: DOMAIN, pathNot: NOT_TESTS },
      to: { path: `${UPPER}|${PORTS}|^src/main\\.ts$|^src/index\\.ts$` },
    },
    {
      name: "ports-import-no-upper-layer",
      severity: "error",
      from: { path: PORTS, pathNot: NOT_TESTS },
      to: { path: `${UPPER}|^src/main\\.ts$|^src/index\\.ts$` },
    },
    {
      name: "ports-are-independent",
      comment: "each port talks to one outside system; they meet only in the layers above",
      severity: "error",
      from: { path: "^src/(github|llm|autopack-api|queue|cursor)/", pathNot: NOT_TESTS },
      to: { path: PORTS, pathNot: "^src/$1/" },
    },
    {
      name: "agents-import-no-supervisor-or-app",
      severity: "error",
      from: { path: "^src/(builder|auditor|planner)/", pathNot: NOT_TESTS },
      to: { path: "^src/(app|supervisor)/|^src/main\\.ts$|^src/index\\.ts$" },
    },
    {
      name: "builder-and-auditor-are-independent",
      severity: "error",
      from: { path: "^src/(builder|auditor)/", pathNot: NOT_TESTS },
      to: { path: "^src/(builder|auditor)/", pathNot: "^src/$1/" },
    },
    {
      name: "supervisor-imports-no-app",
      severity: "error",
      from: { path: "^src/supervisor/", pathNot: NOT_TESTS },
      to: { path: "^src/app/|^src/main\\.ts$|^src/index\\.ts$" },
    },
    {
      name: "octokit-only-in-github",
      comment: "every request to GitHub goes through src/github",
      severity: "error",
      from: { path: "^src/", pathNot: `^src/github/|${NOT_TESTS}` },
      to: { path: "node_modules/@octokit/" },
    },
    {
      name: "octokit-types-only-in-github",
      comment: "the Octokit client type stays behind the door (src/github/door.ts); tests outside src/github use the door too",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/github/" },
      to: { path: "^src/github/client\\.ts$" },
    },
    {
      name: "probot-only-in-app-and-github",
      comment: "the app is wired to Probot in src/app and src/main.ts; Probot's Octokit is reached only through src/github",
      severity: "error",
      from: { path: "^src/", pathNot: `^src/(app|github)/|^src/main\\.ts$|${NOT_TESTS}` },
      to: { path: "node_modules/probot/" },
    },
    {
      name: "openai-only-in-llm",
      severity: "error",
      from: { path: "^src/", pathNot: `^src/llm/|${NOT_TESTS}` },
      to: { path: "node_modules/openai/" },
    },
    {
      name: "observability-only-from-app",
      comment: "metrics and log wiring (src/observability) is an adapter of the app: the layers below report through ports (src/supervisor/metrics.ts)",
      severity: "error",
      from: { path: "^src/(supervisor|builder|auditor|github|llm|autopack-api|queue|plan|policy|config)/", pathNot: NOT_TESTS },
      to: { path: "^src/observability/" },
    },
    {
      name: "prom-client-only-in-observability",
      severity: "error",
      from: { path: "^src/", pathNot: `^src/observability/|${NOT_TESTS}` },
      to: { path: "node_modules/prom-client/" },
    },
    {
      name: "app-code-imports-no-tests",
      severity: "error",
      from: { path: "^src/", pathNot: NOT_TESTS },
      to: { path: `^test/|${NOT_TESTS}` },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
