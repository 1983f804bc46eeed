import { HttpError, notFound, validationFailed } from "../http-error.js";
import { created, noContent, ok, type RouteContext, type Router } from "../router.js";
import { commentShape, issueEventShape, issueShape, labelShape, reactionShape } from "../shapes.js";
import type { SimState } from "../state.js";
import type { CommentRecord, IssueRecord, LabelRecord, RepoState } from "../types.js";

const MAX_BODY = 65536;

/** GitHub's answer to a comment or description over 65536 characters. */
export function checkBodyLength(resource: string, body: unknown): void {
  if (typeof body === "string" && body.length > MAX_BODY) {
    throw validationFailed([
      { resource, code: "unprocessable", field: "data", message: `Body is too long (maximum is ${MAX_BODY} characters)` },
    ]);
  }
}

/** The repository's label of that name (any case), created grey when missing, as adding a label does. */
export function ensureLabel(s: SimState, repo: RepoState, name: string): LabelRecord {
  const key = name.toLowerCase();
  let label = repo.labels.get(key);
  if (!label) {
    label = { id: s.nextId(), name, color: "ededed", description: null };
    repo.labels.set(key, label);
  }
  return label;
}

export function addComment(s: SimState, repo: RepoState, issue: IssueRecord, body: string, user: string, viaApp: boolean): CommentRecord {
  checkBodyLength("IssueComment", body);
  const now = s.now();
  const comment = { id: s.nextId(), issue: issue.number, body, user, viaApp, createdAt: now, updatedAt: now };
  repo.comments.set(comment.id, comment);
  issue.updatedAt = now;
  return comment;
}

function labelNames(body: unknown): string[] {
  const list = Array.isArray(body) ? body : ((body as { labels?: unknown[] } | undefined)?.labels ?? []);
  return list.map((l) => (typeof l === "string" ? l : String((l as { name?: unknown }).name)));
}

/** Who changed an issue's labels: a person, or the app through its token. */
export interface LabelActor {
  login: string;
  viaApp: boolean;
}

/** Sets an issue's labels and records a `labeled` or `unlabeled` event for each one that came or went. */
export function changeLabels(s: SimState, repo: RepoState, issue: IssueRecord, next: string[], by: LabelActor): void {
  const has = (list: string[], name: string) => list.some((n) => n.toLowerCase() === name.toLowerCase());
  const record = (event: "labeled" | "unlabeled", name: string) => {
    const label = repo.labels.get(name.toLowerCase());
    repo.issueEvents.push({
      id: s.nextId(),
      issue: issue.number,
      event,
      actor: by.login,
      viaApp: by.viaApp,
      label: { name, color: label?.color ?? "ededed" },
      createdAt: s.now(),
    });
  };
  for (const name of issue.labels) if (!has(next, name)) record("unlabeled", name);
  for (const name of next) if (!has(issue.labels, name)) record("labeled", name);
  issue.labels = next;
  issue.updatedAt = s.now();
}

function setLabels(s: SimState, repo: RepoState, issue: IssueRecord, names: string[], replace: boolean, by: LabelActor): void {
  const next = replace ? [] : [...issue.labels];
  for (const name of names) {
    const label = ensureLabel(s, repo, name);
    if (!next.some((n) => n.toLowerCase() === label.name.toLowerCase())) next.push(label.name);
  }
  changeLabels(s, repo, issue, next, by);
}

const byApp = (ctx: RouteContext): LabelActor => ({ login: ctx.actor, viaApp: true });

function issueLabels(ctx: RouteContext, issue: IssueRecord) {
  const repo = ctx.repo();
  return issue.labels.map((n) => labelShape(ctx.s, repo, repo.labels.get(n.toLowerCase())!));
}

function patchIssue(ctx: RouteContext) {
  const { s, body = {} } = ctx;
  const repo = ctx.repo();
  const issue = s.issue(repo, Number(ctx.params.issue_number));
  checkBodyLength("Issue", body.body);
  if (typeof body.title === "string" || typeof body.title === "number") issue.title = String(body.title);
  if (body.body !== undefined) issue.body = body.body;
  if (Array.isArray(body.labels)) setLabels(s, repo, issue, labelNames(body.labels), true, byApp(ctx));
  if (Array.isArray(body.assignees)) issue.assignees = body.assignees.map(String);
  if (body.state === "closed" && issue.state === "open") {
    s.closeIssue(repo, issue, ctx.actor);
    issue.stateReason = body.state_reason ?? "completed";
  } else if (body.state === "open" && issue.state === "closed") {
    if (issue.pull?.merged)
      throw validationFailed([
        { resource: "Issue", code: "custom", field: "state", message: "state cannot be changed. The pull request has been merged." },
      ]);
    Object.assign(issue, { state: "open", closedAt: null, closedBy: null, stateReason: "reopened" });
  }
  issue.updatedAt = s.now();
  return ok(issueShape(s, repo, issue));
}

function comment(ctx: RouteContext): CommentRecord {
  const found = ctx.repo().comments.get(Number(ctx.params.comment_id));
  if (!found) throw notFound();
  return found;
}

function react(ctx: RouteContext) {
  const { s } = ctx;
  const repo = ctx.repo();
  const target = comment(ctx);
  const existing = repo.reactions.find((r) => r.commentId === target.id && r.user === ctx.actor && r.content === ctx.body.content);
  if (existing) return ok(reactionShape(s, existing));
  const reaction = { id: s.nextId(), commentId: target.id, content: ctx.body.content as string, user: ctx.actor, createdAt: s.now() };
  repo.reactions.push(reaction);
  return created(reactionShape(s, reaction));
}

function createLabel(ctx: RouteContext) {
  const repo = ctx.repo();
  const name = String(ctx.body.name);
  if (repo.labels.has(name.toLowerCase())) throw validationFailed([{ resource: "Label", code: "already_exists", field: "name" }]);
  const label = {
    id: ctx.s.nextId(),
    name,
    color: String(ctx.body.color ?? "ededed").replace(/^#/, ""),
    description: ctx.body.description ?? null,
  };
  repo.labels.set(name.toLowerCase(), label);
  return created(labelShape(ctx.s, repo, label));
}

function repoLabel(ctx: RouteContext): LabelRecord {
  const label = ctx.repo().labels.get(ctx.params.name!.toLowerCase());
  if (!label) throw notFound();
  return label;
}

function listIssues(ctx: RouteContext) {
  const { s, query } = ctx;
  const repo = ctx.repo();
  const state = query.get("state") ?? "open";
  const labels = (query.get("labels") ?? "")
    .split(",")
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  const creator = query.get("creator")?.toLowerCase();
  const since = query.get("since");
  let list = [...repo.issues.values()].filter(
    (i) =>
      (state === "all" || i.state === state) &&
      labels.every((l) => i.labels.some((n) => n.toLowerCase() === l)) &&
      (!creator || i.user.toLowerCase() === creator) &&
      (!since || i.updatedAt >= since),
  );
  const key = query.get("sort") === "updated" ? (i: IssueRecord) => i.updatedAt : (i: IssueRecord) => String(i.number).padStart(10, "0");
  list = list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if ((query.get("direction") ?? "desc") === "desc") list.reverse();
  return ok(ctx.page(list).map((i) => issueShape(s, repo, i)));
}

export function issueRoutes(router: Router): void {
  const issueOf = (ctx: RouteContext) => ctx.s.issue(ctx.repo(), Number(ctx.params.issue_number));
  router
    .add("GET /repos/:owner/:repo/issues", listIssues)
    .add("GET /repos/:owner/:repo/issues/:issue_number", (ctx) => ok(issueShape(ctx.s, ctx.repo(), issueOf(ctx))))
    .add("PATCH /repos/:owner/:repo/issues/:issue_number", patchIssue)
    .add("GET /repos/:owner/:repo/issues/:issue_number/comments", (ctx) => {
      const repo = ctx.repo();
      const issue = issueOf(ctx);
      const since = ctx.query.get("since");
      const list = [...repo.comments.values()].filter((c) => c.issue === issue.number && (!since || c.updatedAt >= since));
      return ok(ctx.page(list).map((c) => commentShape(ctx.s, repo, c)));
    })
    .add("POST /repos/:owner/:repo/issues/:issue_number/comments", (ctx) => {
      const repo = ctx.repo();
      const made = addComment(ctx.s, repo, issueOf(ctx), String(ctx.body.body), ctx.actor, true);
      return created(commentShape(ctx.s, repo, made));
    })
    .add("GET /repos/:owner/:repo/issues/comments/:comment_id", (ctx) => ok(commentShape(ctx.s, ctx.repo(), comment(ctx))))
    .add("PATCH /repos/:owner/:repo/issues/comments/:comment_id", (ctx) => {
      const found = comment(ctx);
      checkBodyLength("IssueComment", ctx.body.body);
      found.body = String(ctx.body.body);
      found.updatedAt = ctx.s.now();
      return ok(commentShape(ctx.s, ctx.repo(), found));
    })
    .add("DELETE /repos/:owner/:repo/issues/comments/:comment_id", (ctx) => {
      const repo = ctx.repo();
      const found = comment(ctx);
      repo.comments.delete(found.id);
      repo.reactions = repo.reactions.filter((r) => r.commentId !== found.id);
      return noContent();
    })
    .add("GET /repos/:owner/:repo/issues/comments/:comment_id/reactions", (ctx) => {
      const repo = ctx.repo();
      const target = comment(ctx);
      const content = ctx.query.get("content");
      const list = repo.reactions.filter((r) => r.commentId === target.id && (!content || r.content === content));
      return ok(ctx.page(list).map((r) => reactionShape(ctx.s, r)));
    })
    .add("POST /repos/:owner/:repo/issues/comments/:comment_id/reactions", react)
    .add("DELETE /repos/:owner/:repo/issues/comments/:comment_id/reactions/:reaction_id", (ctx) => {
      const repo = ctx.repo();
      const target = comment(ctx);
      const index = repo.reactions.findIndex((r) => r.commentId === target.id && r.id === Number(ctx.params.reaction_id));
      if (index < 0) throw notFound();
      repo.reactions.splice(index, 1);
      return noContent();
    })
    .add("GET /repos/:owner/:repo/issues/:issue_number/events", (ctx) => {
      const repo = ctx.repo();
      const issue = issueOf(ctx);
      const list = repo.issueEvents.filter((e) => e.issue === issue.number);
      return ok(ctx.page(list).map((e) => issueEventShape(ctx.s, repo, e)));
    })
    .add("GET /repos/:owner/:repo/issues/:issue_number/labels", (ctx) => ok(ctx.page(issueLabels(ctx, issueOf(ctx)))))
    .add("POST /repos/:owner/:repo/issues/:issue_number/labels", (ctx) => {
      const issue = issueOf(ctx);
      setLabels(ctx.s, ctx.repo(), issue, labelNames(ctx.body), false, byApp(ctx));
      return ok(issueLabels(ctx, issue));
    })
    .add("PUT /repos/:owner/:repo/issues/:issue_number/labels", (ctx) => {
      const issue = issueOf(ctx);
      setLabels(ctx.s, ctx.repo(), issue, labelNames(ctx.body), true, byApp(ctx));
      return ok(issueLabels(ctx, issue));
    })
    .add("DELETE /repos/:owner/:repo/issues/:issue_number/labels", (ctx) => {
      changeLabels(ctx.s, ctx.repo(), issueOf(ctx), [], byApp(ctx));
      return noContent();
    })
    .add("DELETE /repos/:owner/:repo/issues/:issue_number/labels/*name", (ctx) => {
      const issue = issueOf(ctx);
      const name = ctx.params.name!.toLowerCase();
      if (!issue.labels.some((n) => n.toLowerCase() === name)) throw new HttpError(404, "Label does not exist");
      changeLabels(
        ctx.s,
        ctx.repo(),
        issue,
        issue.labels.filter((n) => n.toLowerCase() !== name),
        byApp(ctx),
      );
      return ok(issueLabels(ctx, issue));
    })
    .add("GET /repos/:owner/:repo/labels", (ctx) => {
      const repo = ctx.repo();
      return ok(ctx.page([...repo.labels.values()]).map((l) => labelShape(ctx.s, repo, l)));
    })
    .add("POST /repos/:owner/:repo/labels", createLabel)
    .add("GET /repos/:owner/:repo/labels/*name", (ctx) => ok(labelShape(ctx.s, ctx.repo(), repoLabel(ctx))))
    .add("PATCH /repos/:owner/:repo/labels/*name", (ctx) => {
      const repo = ctx.repo();
      const label = repoLabel(ctx);
      if (typeof ctx.body.new_name === "string") {
        for (const issue of repo.issues.values()) issue.labels = issue.labels.map((n) => (n === label.name ? ctx.body.new_name : n));
        repo.labels.delete(label.name.toLowerCase());
        label.name = ctx.body.new_name;
        repo.labels.set(label.name.toLowerCase(), label);
      }
      if (typeof ctx.body.color === "string") label.color = ctx.body.color.replace(/^#/, "");
      if (ctx.body.description !== undefined) label.description = ctx.body.description;
      return ok(labelShape(ctx.s, repo, label));
    })
    .add("DELETE /repos/:owner/:repo/labels/*name", (ctx) => {
      const repo = ctx.repo();
      const label = repoLabel(ctx);
      repo.labels.delete(label.name.toLowerCase());
      for (const issue of repo.issues.values()) issue.labels = issue.labels.filter((n) => n !== label.name);
      return noContent();
    });
}
