import { HttpError, notFound } from "../http-error.js";
import { created, ok } from "../router.js";
import { checkRunShape, checkSuiteShape, combinedStatusShape, statusShape } from "../shapes-checks.js";
function commitOf(s, repo, ref) {
  const sha = s.resolveCommit(repo, ref);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${ref}`);
  return sha;
}
/** Applies fields of a create or update body; a conclusion completes the run. */
function apply(s, run, input) {
  if (input.name !== undefined) run.name = input.name;
  if (input.details_url !== undefined) run.detailsUrl = input.details_url;
  if (input.external_id !== undefined) run.externalId = input.external_id;
  if (input.started_at !== undefined) run.startedAt = input.started_at;
  if (input.status !== undefined) run.status = input.status;
  if (input.conclusion !== undefined) {
    run.conclusion = input.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed" && !run.conclusion) throw new HttpError(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
  if (run.status === "completed") run.completedAt = input.completed_at ?? run.completedAt ?? s.now();
  if (input.output) {
    run.output.title = input.output.title ?? run.output.title;
    run.output.summary = input.output.summary ?? run.output.summary;
    run.output.text = input.output.text ?? run.output.text;
    run.output.annotations.push(...(input.output.annotations ?? []));
  }
  if (input.actions) run.actions = input.actions;
}
export function createCheckRun(s, repo, app, input) {
  const headSha = commitOf(s, repo, String(input.head_sha));
  let suite = repo.checkSuites.find((x) => x.headSha === headSha && x.app.id === app.id);
  if (!suite) {
    const branch = [...repo.refs.entries()].find(([ref, sha]) => sha === headSha && ref.startsWith("refs/heads/"));
    suite = { id: s.nextId(), headSha, headBranch: branch ? branch[0].slice("refs/heads/".length) : null, app, createdAt: s.now() };
    repo.checkSuites.push(suite);
  }
  const run = {
    id: s.nextId(),
    suiteId: suite.id,
    headSha,
    name: String(input.name),
    status: "queued",
    conclusion: null,
    startedAt: s.now(),
    completedAt: null,
    detailsUrl: null,
    externalId: null,
    output: { title: null, summary: null, text: null, annotations: [] },
    actions: [],
    app,
  };
  apply(s, run, input);
  repo.checkRuns.set(run.id, run);
  return run;
}
export function updateCheckRun(s, run, input) {
  apply(s, run, input);
}
export function createStatus(s, repo, sha, creator, input) {
  const status = {
    id: s.nextId(),
    sha: commitOf(s, repo, sha),
    state: input.state,
    context: input.context ?? "default",
    description: input.description ?? null,
    targetUrl: input.target_url ?? null,
    creator,
    createdAt: s.now(),
  };
  repo.statuses.push(status);
  return status;
}
function runOf(ctx) {
  const run = ctx.repo().checkRuns.get(Number(ctx.params.check_run_id));
  if (!run) throw notFound();
  return run;
}
function listRuns(ctx) {
  const { s, query } = ctx;
  const repo = ctx.repo();
  const sha = commitOf(s, repo, ctx.params.ref);
  let runs = [...repo.checkRuns.values()].filter((r) => r.headSha === sha);
  const name = query.get("check_name");
  const status = query.get("status");
  const appId = query.get("app_id");
  if (name) runs = runs.filter((r) => r.name === name);
  if (status) runs = runs.filter((r) => r.status === status);
  if (appId) runs = runs.filter((r) => String(r.app.id) === appId);
  if ((query.get("filter") ?? "latest") === "latest") {
    runs = runs.filter((r) => !runs.some((o) => o.app.id === r.app.id && o.name === r.name && o.id > r.id));
  }
  runs.sort((a, b) => b.id - a.id);
  return ok({ total_count: runs.length, check_runs: ctx.page(runs).map((r) => checkRunShape(s, repo, r)) });
}
export function checkRoutes(router) {
  router
    .add("POST /repos/:owner/:repo/check-runs", (ctx) => {
      const repo = ctx.repo();
      return created(checkRunShape(ctx.s, repo, createCheckRun(ctx.s, repo, ctx.s.app, ctx.body)));
    })
    .add("GET /repos/:owner/:repo/check-runs/:check_run_id", (ctx) => ok(checkRunShape(ctx.s, ctx.repo(), runOf(ctx))))
    .add("PATCH /repos/:owner/:repo/check-runs/:check_run_id", (ctx) => {
      const run = runOf(ctx);
      if (run.app.id !== ctx.s.app.id) throw new HttpError(403, "Resource not accessible by integration");
      updateCheckRun(ctx.s, run, ctx.body);
      return ok(checkRunShape(ctx.s, ctx.repo(), run));
    })
    .add("GET /repos/:owner/:repo/check-runs/:check_run_id/annotations", (ctx) => {
      const run = runOf(ctx);
      const blob = (path) => `${ctx.s.origin}/${ctx.params.owner}/${ctx.params.repo}/blob/${run.headSha}/${path}`;
      const list = run.output.annotations.map((a) => ({
        path: a.path,
        blob_href: blob(a.path),
        start_line: a.start_line,
        end_line: a.end_line,
        start_column: a.start_column ?? null,
        end_column: a.end_column ?? null,
        annotation_level: a.annotation_level,
        title: a.title ?? null,
        message: a.message,
        raw_details: a.raw_details ?? null,
      }));
      return ok(ctx.page(list));
    })
    .add("GET /repos/:owner/:repo/commits/:ref/check-runs", listRuns)
    .add("GET /repos/:owner/:repo/commits/:ref/check-suites", (ctx) => {
      const repo = ctx.repo();
      const sha = commitOf(ctx.s, repo, ctx.params.ref);
      const appId = ctx.query.get("app_id");
      const name = ctx.query.get("check_name");
      const suites = repo.checkSuites.filter(
        (x) =>
          x.headSha === sha &&
          (!appId || String(x.app.id) === appId) &&
          (!name || [...repo.checkRuns.values()].some((r) => r.suiteId === x.id && r.name === name)),
      );
      return ok({ total_count: suites.length, check_suites: ctx.page(suites).map((x) => checkSuiteShape(ctx.s, repo, x)) });
    })
    .add("GET /repos/:owner/:repo/check-suites/:check_suite_id", (ctx) => {
      const repo = ctx.repo();
      const suite = repo.checkSuites.find((x) => x.id === Number(ctx.params.check_suite_id));
      if (!suite) throw notFound();
      return ok(checkSuiteShape(ctx.s, repo, suite));
    })
    .add("POST /repos/:owner/:repo/statuses/:sha", (ctx) => {
      const repo = ctx.repo();
      return created(statusShape(ctx.s, repo, createStatus(ctx.s, repo, ctx.params.sha, ctx.actor, ctx.body)));
    })
    .add("GET /repos/:owner/:repo/commits/:ref/status", (ctx) => {
      const repo = ctx.repo();
      return ok(combinedStatusShape(ctx.s, repo, commitOf(ctx.s, repo, ctx.params.ref)));
    })
    .add("GET /repos/:owner/:repo/commits/:ref/statuses", (ctx) => {
      const repo = ctx.repo();
      const sha = commitOf(ctx.s, repo, ctx.params.ref);
      const list = repo.statuses.filter((x) => x.sha === sha).reverse();
      return ok(ctx.page(list).map((x) => statusShape(ctx.s, repo, x)));
    });
}
//# sourceMappingURL=checks.js.map
