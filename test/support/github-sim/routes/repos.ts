import { HttpError, notFound } from "../http-error.js";
import { diffText, diffTrees } from "../patch.js";
import { diffReply, ok, wantsFormat, type RouteContext, type Router } from "../router.js";
import { branchShape, commitDetailShape, commitShape, contentShape, diffFileShape } from "../shapes-git.js";
import { repoApi, repoHtml, repoShape, userShape } from "../shapes.js";
import type { Role } from "../types.js";

const PERMISSION: Record<Role, string> = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read", none: "none" };
const RANK: Role[] = ["none", "read", "triage", "write", "maintain", "admin"];

function permissionOf(ctx: RouteContext) {
  const { s, params } = ctx;
  const repo = ctx.repo();
  const user = s.users.get(params.username!.toLowerCase());
  if (!user) throw notFound();
  const role = s.role(repo, user.login);
  const has = (r: Role) => RANK.indexOf(role) >= RANK.indexOf(r);
  const roleName = repo.customRoles.get(user.login.toLowerCase()) ?? role;
  return ok({
    permission: PERMISSION[role],
    role_name: roleName,
    user: {
      ...userShape(s, user.login),
      permissions: { admin: has("admin"), maintain: has("maintain"), push: has("write"), triage: has("triage"), pull: has("read") },
      role_name: roleName,
    },
  });
}

function contents(ctx: RouteContext) {
  const { s, params, query } = ctx;
  const repo = ctx.repo();
  const ref = query.get("ref") || repo.defaultBranch;
  const sha = s.resolveCommit(repo, ref);
  if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`);
  const path = params.path!.replace(/^\/+|\/+$/g, "");
  const entry = repo.git.entryAt(repo.git.commit(sha)!.tree, path);
  if (!entry) throw notFound();
  if (entry.type === "tree") {
    const list = repo.git.tree(entry.sha)!.map((e) => contentShape(s, repo, path ? `${path}/${e.name}` : e.name, ref, e, false));
    return ok(list);
  }
  if (wantsFormat(ctx, "raw")) return { status: 200, raw: { text: repo.git.blob(entry.sha)!, contentType: "text/plain; charset=utf-8" } };
  return ok(contentShape(s, repo, path, ref, entry, true));
}

function branch(ctx: RouteContext) {
  const repo = ctx.repo();
  const name = ctx.params.branch!;
  const sha = ctx.s.branchHead(repo, name);
  if (!sha) throw new HttpError(404, "Branch not found");
  return ok(branchShape(ctx.s, repo, name, sha));
}

function commit(ctx: RouteContext) {
  const repo = ctx.repo();
  const sha = ctx.s.resolveCommit(repo, ctx.params.ref!);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${ctx.params.ref}`);
  return ok(commitDetailShape(ctx.s, repo, sha));
}

/**
 * A branch's history, newest first, as `git log` lists it; with `path`, only the commits that changed
 * that path against their first parent (enough for the linear and merge histories the tests make).
 */
function listCommits(ctx: RouteContext) {
  const { s, query } = ctx;
  const repo = ctx.repo();
  const ref = query.get("sha") || repo.defaultBranch;
  const head = s.resolveCommit(repo, ref);
  if (!head) throw new HttpError(404, "Not Found");
  const path = query.get("path")?.replace(/^\/+|\/+$/g, "");
  const blobAt = (sha: string | undefined) => (sha === undefined ? undefined : repo.git.entryAt(repo.git.commit(sha)!.tree, path!)?.sha);
  // Reachable commits, nearest first (the order `ancestors` walks them in).
  const listed = [...repo.git.ancestors(head)].filter((sha) => !path || blobAt(sha) !== blobAt(repo.git.commit(sha)!.parents[0]));
  return ok(ctx.page(listed.map((sha) => commitShape(s, repo, sha))));
}

function compare(ctx: RouteContext) {
  const { s } = ctx;
  const repo = ctx.repo();
  const spec = ctx.params.basehead!;
  const [baseRef, headRef] = spec.includes("...") ? spec.split("...") : spec.split("..");
  const strip = (ref: string) => ref.replace(/^[^:]+:/, "");
  const base = baseRef ? s.resolveCommit(repo, strip(baseRef)) : undefined;
  const head = headRef ? s.resolveCommit(repo, strip(headRef)) : undefined;
  if (!base || !head) throw notFound();
  const git = repo.git;
  const mergeBase = git.mergeBase(base, head) ?? base;
  const ahead = git.commitsBetween(base, head);
  const behind = git.commitsBetween(head, base);
  const status = base === head ? "identical" : behind.length === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
  const files = diffTrees(git, git.commit(mergeBase)!.tree, git.commit(head)!.tree);
  if (wantsFormat(ctx, "diff")) return diffReply(diffText(files));
  const html = `${repoHtml(s, repo)}/compare/${spec}`;
  return ok({
    url: `${repoApi(s, repo)}/compare/${spec}`,
    html_url: html,
    permalink_url: `${repoHtml(s, repo)}/compare/${base.slice(0, 7)}...${head.slice(0, 7)}`,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    base_commit: commitShape(s, repo, base),
    merge_base_commit: commitShape(s, repo, mergeBase),
    status,
    ahead_by: ahead.length,
    behind_by: behind.length,
    total_commits: ahead.length,
    commits: ahead.map((sha) => commitShape(s, repo, sha)),
    files: files.map((f) => diffFileShape(s, repo, f, head)),
  });
}

export function repoRoutes(router: Router): void {
  router
    .add("GET /repos/:owner/:repo", (ctx) => ok(repoShape(ctx.s, ctx.repo())))
    .add("GET /repos/:owner/:repo/collaborators/:username/permission", permissionOf)
    .add("GET /repos/:owner/:repo/contents/*path", contents)
    .add("GET /repos/:owner/:repo/branches/*branch", branch)
    .add("GET /repos/:owner/:repo/commits", listCommits)
    .add("GET /repos/:owner/:repo/commits/:ref", commit)
    .add("GET /repos/:owner/:repo/commits/*ref", commit)
    .add("GET /repos/:owner/:repo/compare/*basehead", compare);
}
