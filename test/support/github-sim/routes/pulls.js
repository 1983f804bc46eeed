import { HttpError, notFound, validationFailed } from "../http-error.js";
import { mergePullRequest, pullCommits, pullDiff } from "../pull-logic.js";
import { createReview } from "../review-logic.js";
import { created, diffReply, ok, wantsFormat } from "../router.js";
import { diffText } from "../patch.js";
import { commitShape, diffFileShape } from "../shapes-git.js";
import { pullListShape, pullShape, reviewCommentShape, reviewShape } from "../shapes-pulls.js";
import { checkBodyLength } from "./issues.js";
/** Opens a pull request, refusing what GitHub refuses. */
export function openPull(s, repo, user, input) {
  const [headOwner, headBranch] = input.head.includes(":") ? input.head.split(":", 2) : [repo.owner, input.head];
  const invalid = (field) => validationFailed([{ resource: "PullRequest", field, code: "invalid" }]);
  if (!input.title) throw validationFailed([{ resource: "PullRequest", field: "title", code: "missing_field" }]);
  const baseHead = s.branchHead(repo, input.base);
  if (!baseHead) throw invalid("base");
  const headSha = headOwner.toLowerCase() === repo.owner.toLowerCase() ? s.branchHead(repo, headBranch) : undefined;
  if (!headSha) throw invalid("head");
  const open = [...repo.issues.values()].find(
    (i) => i.pull && i.state === "open" && i.pull.headRef === headBranch && i.pull.baseRef === input.base,
  );
  if (open) {
    throw validationFailed([
      { resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner}:${headBranch}.` },
    ]);
  }
  if (repo.git.commitsBetween(baseHead, headSha).length === 0) {
    throw validationFailed([{ resource: "PullRequest", code: "custom", message: `No commits between ${input.base} and ${input.head}` }]);
  }
  checkBodyLength("PullRequest", input.body);
  const now = s.now();
  const pr = {
    id: s.nextId(),
    number: repo.nextNumber++,
    title: input.title,
    body: input.body ?? null,
    user,
    state: "open",
    stateReason: null,
    labels: [],
    assignees: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    closedBy: null,
    pull: {
      id: s.nextId(),
      headRef: headBranch,
      headSha,
      baseRef: input.base,
      draft: input.draft ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      maintainerCanModify: input.maintainer_can_modify ?? true,
    },
  };
  repo.issues.set(pr.number, pr);
  return pr;
}
function listPulls(ctx) {
  const { s, query } = ctx;
  const repo = ctx.repo();
  const state = query.get("state") ?? "open";
  const head = query.get("head");
  const base = query.get("base");
  // GitHub ignores a `head` filter that is not in the form owner:branch.
  const [headOwner, headRef] = head?.includes(":") ? head.split(":", 2) : [undefined, undefined];
  let list = [...repo.issues.values()].filter((i) => i.pull !== undefined);
  list = list.filter((p) => state === "all" || p.state === state);
  if (headRef !== undefined) list = list.filter((p) => p.pull.headRef === headRef && headOwner?.toLowerCase() === repo.owner.toLowerCase());
  if (base) list = list.filter((p) => p.pull.baseRef === base);
  const key = query.get("sort") === "updated" ? (p) => p.updatedAt : (p) => String(p.number).padStart(10, "0");
  list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if ((query.get("direction") ?? (query.get("sort") === "long-running" ? "asc" : "desc")) === "desc") list.reverse();
  return ok(ctx.page(list).map((p) => pullListShape(s, repo, p)));
}
function patchPull(ctx) {
  const { s, body = {} } = ctx;
  const repo = ctx.repo();
  const pr = s.pull(repo, Number(ctx.params.pull_number));
  checkBodyLength("PullRequest", body.body);
  if (typeof body.title === "string") pr.title = body.title;
  if (body.body !== undefined) pr.body = body.body;
  if (typeof body.base === "string") {
    if (!s.branchHead(repo, body.base)) throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
    pr.pull.baseRef = body.base;
  }
  if (typeof body.maintainer_can_modify === "boolean") pr.pull.maintainerCanModify = body.maintainer_can_modify;
  if (body.state === "closed" && pr.state === "open") s.closeIssue(repo, pr, ctx.actor);
  if (body.state === "open" && pr.state === "closed") {
    if (pr.pull.merged)
      throw validationFailed([
        { resource: "PullRequest", code: "custom", field: "state", message: "state cannot be changed. The pull request has been merged." },
      ]);
    if (!s.branchHead(repo, pr.pull.headRef))
      throw validationFailed([
        { resource: "PullRequest", code: "custom", field: "state", message: "state cannot be changed. The head branch was deleted." },
      ]);
    Object.assign(pr, { state: "open", closedAt: null, closedBy: null });
  }
  pr.updatedAt = s.now();
  return ok(pullShape(s, repo, pr));
}
function merge(ctx) {
  const { s, body = {} } = ctx;
  const repo = ctx.repo();
  const pr = s.pull(repo, Number(ctx.params.pull_number));
  if (pr.state !== "open") throw new HttpError(405, "Pull Request is not mergeable");
  if (body.sha && body.sha !== pr.pull.headSha) throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
  const sha = mergePullRequest(s, repo, pr, ctx.actor, body.merge_method ?? "merge", body.commit_title, body.commit_message);
  if (sha === "conflict") throw new HttpError(405, "Pull Request is not mergeable");
  return ok({ sha, merged: true, message: "Pull Request successfully merged" });
}
export function pullRoutes(router) {
  const pullOf = (ctx) => ctx.s.pull(ctx.repo(), Number(ctx.params.pull_number));
  router
    .add("POST /repos/:owner/:repo/pulls", (ctx) => {
      const repo = ctx.repo();
      return created(pullShape(ctx.s, repo, openPull(ctx.s, repo, ctx.actor, ctx.body)));
    })
    .add("GET /repos/:owner/:repo/pulls", listPulls)
    .add("GET /repos/:owner/:repo/pulls/:pull_number", (ctx) => {
      const repo = ctx.repo();
      const pr = pullOf(ctx);
      return wantsFormat(ctx, "diff") ? diffReply(diffText(pullDiff(ctx.s, repo, pr))) : ok(pullShape(ctx.s, repo, pr));
    })
    .add("PATCH /repos/:owner/:repo/pulls/:pull_number", patchPull)
    .add("GET /repos/:owner/:repo/pulls/:pull_number/files", (ctx) => {
      const repo = ctx.repo();
      const pr = pullOf(ctx);
      return ok(ctx.page(pullDiff(ctx.s, repo, pr)).map((f) => diffFileShape(ctx.s, repo, f, pr.pull.headSha)));
    })
    .add("GET /repos/:owner/:repo/pulls/:pull_number/commits", (ctx) => {
      const repo = ctx.repo();
      return ok(ctx.page(pullCommits(ctx.s, repo, pullOf(ctx))).map((sha) => commitShape(ctx.s, repo, sha)));
    })
    .add("PUT /repos/:owner/:repo/pulls/:pull_number/merge", merge)
    .add("GET /repos/:owner/:repo/pulls/:pull_number/reviews", (ctx) => {
      const repo = ctx.repo();
      const pr = pullOf(ctx);
      const list = repo.reviews.filter((r) => r.pull === pr.number && (r.state !== "PENDING" || r.user === ctx.actor));
      return ok(ctx.page(list).map((r) => reviewShape(ctx.s, repo, r)));
    })
    .add("POST /repos/:owner/:repo/pulls/:pull_number/reviews", (ctx) => {
      const repo = ctx.repo();
      return ok(reviewShape(ctx.s, repo, createReview(ctx.s, repo, pullOf(ctx), ctx.actor, ctx.body ?? {})));
    })
    .add("GET /repos/:owner/:repo/pulls/:pull_number/reviews/:review_id", (ctx) => {
      const repo = ctx.repo();
      const review = repo.reviews.find((r) => r.pull === pullOf(ctx).number && r.id === Number(ctx.params.review_id));
      if (!review) throw notFound();
      return ok(reviewShape(ctx.s, repo, review));
    })
    .add("GET /repos/:owner/:repo/pulls/:pull_number/reviews/:review_id/comments", (ctx) => {
      const repo = ctx.repo();
      const pr = pullOf(ctx);
      const review = repo.reviews.find((r) => r.pull === pr.number && r.id === Number(ctx.params.review_id));
      if (!review) throw notFound();
      const list = repo.reviewComments.filter((c) => c.reviewId === review.id);
      return ok(ctx.page(list).map((c) => reviewCommentShape(ctx.s, repo, c)));
    })
    .add("GET /repos/:owner/:repo/pulls/:pull_number/comments", (ctx) => {
      const repo = ctx.repo();
      const pr = pullOf(ctx);
      const list = repo.reviewComments.filter((c) => c.pull === pr.number);
      return ok(ctx.page(list).map((c) => reviewCommentShape(ctx.s, repo, c)));
    });
}
//# sourceMappingURL=pulls.js.map
