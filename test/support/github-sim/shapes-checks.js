import { appShape, miniRepoShape, nodeId, repoApi, repoHtml, userShape } from "./shapes.js";
/** Open pull requests whose head is `sha`, in the short form check runs and suites carry. */
function pullRefs(s, repo, sha) {
  const mini = { id: repo.id, url: repoApi(s, repo), name: repo.name };
  return [...repo.issues.values()]
    .filter((i) => i.pull && i.state === "open" && i.pull.headSha === sha)
    .map((i) => ({
      url: `${repoApi(s, repo)}/pulls/${i.number}`,
      id: i.pull.id,
      number: i.number,
      head: { ref: i.pull.headRef, sha: i.pull.headSha, repo: mini },
      base: { ref: i.pull.baseRef, sha: s.branchHead(repo, i.pull.baseRef) ?? i.pull.headSha, repo: mini },
    }));
}
export function checkRunShape(s, repo, run) {
  const url = `${repoApi(s, repo)}/check-runs/${run.id}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: run.externalId ?? "",
    url,
    html_url: `${repoHtml(s, repo)}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${repoHtml(s, repo)}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: appShape(s, run.app),
    pull_requests: pullRefs(s, repo, run.headSha),
  };
}
const SEVERITY = ["action_required", "cancelled", "timed_out", "failure", "stale", "success", "neutral", "skipped"];
/** A suite's status and conclusion from its runs, the most severe conclusion winning. */
export function suiteOutcome(runs) {
  if (runs.length === 0) return { status: "queued", conclusion: null };
  if (runs.some((r) => r.status !== "completed")) {
    return { status: runs.some((r) => r.status === "in_progress") ? "in_progress" : "queued", conclusion: null };
  }
  const conclusions = runs.map((r) => r.conclusion ?? "neutral");
  return { status: "completed", conclusion: SEVERITY.find((c) => conclusions.includes(c)) ?? "neutral" };
}
export function checkSuiteShape(s, repo, suite) {
  const runs = [...repo.checkRuns.values()].filter((r) => r.suiteId === suite.id);
  const outcome = suiteOutcome(runs);
  const commit = repo.git.commit(suite.headSha);
  const updatedAt =
    runs
      .map((r) => r.completedAt ?? r.startedAt ?? suite.createdAt)
      .sort()
      .pop() ?? suite.createdAt;
  return {
    id: suite.id,
    node_id: nodeId("CheckSuite", suite.id),
    head_branch: suite.headBranch,
    head_sha: suite.headSha,
    status: outcome.status,
    conclusion: outcome.conclusion,
    url: `${repoApi(s, repo)}/check-suites/${suite.id}`,
    before: null,
    after: suite.headSha,
    pull_requests: pullRefs(s, repo, suite.headSha),
    app: appShape(s, suite.app),
    repository: miniRepoShape(s, repo),
    created_at: suite.createdAt,
    updated_at: updatedAt,
    head_commit: commit
      ? {
          id: suite.headSha,
          tree_id: commit.tree,
          message: commit.message,
          timestamp: commit.committer.date,
          author: { name: commit.author.name, email: commit.author.email },
          committer: { name: commit.committer.name, email: commit.committer.email },
        }
      : null,
    latest_check_runs_count: runs.length,
    check_runs_url: `${repoApi(s, repo)}/check-suites/${suite.id}/check-runs`,
    rerequestable: true,
    runs_rerequestable: true,
  };
}
export function statusShape(s, repo, status) {
  const creator = userShape(s, status.creator);
  return {
    url: `${repoApi(s, repo)}/statuses/${status.sha}`,
    avatar_url: creator.avatar_url,
    id: status.id,
    node_id: nodeId("StatusContext", status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    creator,
  };
}
/** The latest status of each context, newest first. */
export function latestStatuses(repo, sha) {
  const seen = new Set();
  const out = [];
  for (const status of [...repo.statuses].reverse()) {
    if (status.sha !== sha || seen.has(status.context)) continue;
    seen.add(status.context);
    out.push(status);
  }
  return out;
}
export function combinedStatusShape(s, repo, sha) {
  const latest = latestStatuses(repo, sha);
  const states = latest.map((x) => x.state);
  const state = states.some((x) => x === "error" || x === "failure")
    ? "failure"
    : states.length === 0 || states.some((x) => x === "pending")
      ? "pending"
      : "success";
  return {
    state,
    statuses: latest.map((x) => statusShape(s, repo, x)),
    sha,
    total_count: latest.length,
    repository: miniRepoShape(s, repo),
    commit_url: `${repoApi(s, repo)}/commits/${sha}`,
    url: `${repoApi(s, repo)}/commits/${sha}/status`,
  };
}
//# sourceMappingURL=shapes-checks.js.map
