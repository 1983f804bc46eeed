import { HttpError, notFound } from "../http-error.js";
import { created, noContent, ok } from "../router.js";
import { blobShape, gitCommitShape, refShape, treeShape } from "../shapes-git.js";
import { repoApi } from "../shapes.js";
const WORKFLOWS = ".github/workflows/";
function refOf(ctx) {
  const repo = ctx.repo();
  // GitHub takes "heads/x" here; "refs/heads/x" names refs/refs/heads/x, which does not exist.
  const ref = `refs/${ctx.params.ref}`;
  return { repo, ref, sha: repo.refs.get(ref) };
}
function createRef(ctx) {
  const repo = ctx.repo();
  const ref = String(ctx.body.ref);
  const sha = String(ctx.body.sha);
  if (!/^refs\/[^/]+\/./.test(ref)) throw new HttpError(422, "Reference name must contain at least three slash-separated components.");
  if (/\.\.|\/\/|\/$|\.lock$|@\{|[\s~^:?*[\\]/.test(ref)) throw new HttpError(422, `${ref} is not a valid ref name.`);
  if (repo.refs.has(ref)) throw new HttpError(422, "Reference already exists");
  if (!repo.git.has(sha, "commit")) throw new HttpError(422, "Object does not exist");
  ctx.s.setRef(repo, ref, sha);
  return created(refShape(ctx.s, repo, ref, sha));
}
function updateRef(ctx) {
  const { repo, ref, sha: current } = refOf(ctx);
  const sha = String(ctx.body.sha);
  if (!current) throw new HttpError(422, "Reference does not exist");
  if (!repo.git.has(sha, "commit")) throw new HttpError(422, "Object does not exist");
  if (ctx.body.force !== true && !repo.git.isAncestor(current, sha)) throw new HttpError(422, "Update is not a fast forward");
  ctx.s.setRef(repo, ref, sha);
  return ok(refShape(ctx.s, repo, ref, sha));
}
function workflowFiles(flat) {
  return [...flat.entries()]
    .filter(([path]) => path.startsWith(WORKFLOWS))
    .map(([p, e]) => `${p}:${e.sha}:${e.mode}`)
    .sort()
    .join("\n");
}
function createTree(ctx) {
  const repo = ctx.repo();
  const git = repo.git;
  const baseTree = ctx.body.base_tree;
  if (baseTree !== undefined && !git.has(baseTree, "tree")) throw new HttpError(422, "Invalid tree info", {}, {});
  const before = baseTree ? git.flatten(baseTree) : new Map();
  const flat = new Map(before);
  for (const item of ctx.body.tree) {
    const path = item.path.replace(/^\/+|\/+$/g, "");
    if (item.content !== undefined && item.sha !== undefined)
      throw new HttpError(422, "Invalid tree info: use either sha or content, not both");
    if (item.sha === null) {
      flat.delete(path);
      for (const key of [...flat.keys()]) if (key.startsWith(`${path}/`)) flat.delete(key);
      continue;
    }
    if (item.content !== undefined) {
      flat.set(path, { sha: git.writeBlob(item.content), mode: item.mode, type: "blob" });
      continue;
    }
    const sha = String(item.sha);
    if (item.type === "tree" || item.mode === "040000") {
      if (!git.has(sha, "tree")) throw new HttpError(422, `tree.sha ${sha} is not a valid tree`);
      for (const key of [...flat.keys()]) if (key.startsWith(`${path}/`)) flat.delete(key);
      for (const [sub, entry] of git.flatten(sha)) flat.set(`${path}/${sub}`, entry);
    } else if (item.type === "commit") {
      flat.set(path, { sha, mode: item.mode, type: "commit" });
    } else {
      if (!git.has(sha, "blob")) throw new HttpError(422, `tree.sha ${sha} is not a valid blob`);
      flat.set(path, { sha, mode: item.mode, type: "blob" });
    }
  }
  if (workflowFiles(before) !== workflowFiles(flat)) throw new HttpError(403, "Resource not accessible by integration");
  return created(treeShape(ctx.s, repo, git.writeFlat(flat), false));
}
function getTree(ctx) {
  const repo = ctx.repo();
  const given = ctx.params.tree_sha;
  const commit = repo.git.has(given, "tree") ? undefined : ctx.s.resolveCommit(repo, given);
  const tree = commit ? repo.git.commit(commit).tree : given;
  if (!repo.git.has(tree, "tree")) throw notFound();
  return ok(treeShape(ctx.s, repo, tree, ctx.query.has("recursive")));
}
function createCommit(ctx) {
  const { s, body } = ctx;
  const repo = ctx.repo();
  const parents = body.parents ?? [];
  if (!repo.git.has(body.tree, "tree")) throw new HttpError(422, "Tree SHA does not exist");
  if (parents.some((p) => !repo.git.has(p, "commit"))) throw new HttpError(422, "Parent SHA does not exist or is not a commit object");
  const bot = s.signature(s.botLogin);
  const author = body.author ? { name: body.author.name, email: body.author.email, date: body.author.date ?? bot.date } : bot;
  const committer = body.committer?.name
    ? { name: body.committer.name, email: body.committer.email, date: body.committer.date ?? bot.date }
    : author;
  const sha = repo.git.writeCommit({ tree: body.tree, parents, message: String(body.message), author, committer });
  return created(gitCommitShape(s, repo, sha));
}
export function gitRoutes(router) {
  router
    .add("GET /repos/:owner/:repo/git/ref/*ref", (ctx) => {
      const { repo, ref, sha } = refOf(ctx);
      if (!sha) throw notFound();
      return ok(refShape(ctx.s, repo, ref, sha));
    })
    .add("GET /repos/:owner/:repo/git/matching-refs/*ref", (ctx) => {
      const { repo, ref } = refOf(ctx);
      const list = [...repo.refs.entries()].filter(([name]) => name.startsWith(ref)).sort(([a], [b]) => (a < b ? -1 : 1));
      return ok(ctx.page(list).map(([name, sha]) => refShape(ctx.s, repo, name, sha)));
    })
    .add("POST /repos/:owner/:repo/git/refs", createRef)
    .add("PATCH /repos/:owner/:repo/git/refs/*ref", updateRef)
    .add("DELETE /repos/:owner/:repo/git/refs/*ref", (ctx) => {
      const { repo, ref, sha } = refOf(ctx);
      if (!sha) throw new HttpError(422, "Reference does not exist");
      ctx.s.setRef(repo, ref, undefined);
      return noContent();
    })
    .add("GET /repos/:owner/:repo/git/trees/*tree_sha", getTree)
    .add("POST /repos/:owner/:repo/git/trees", createTree)
    .add("GET /repos/:owner/:repo/git/blobs/:file_sha", (ctx) => {
      const repo = ctx.repo();
      if (!repo.git.has(ctx.params.file_sha, "blob")) throw notFound();
      return ok(blobShape(ctx.s, repo, ctx.params.file_sha));
    })
    .add("POST /repos/:owner/:repo/git/blobs", (ctx) => {
      const repo = ctx.repo();
      const data = Buffer.from(String(ctx.body.content), ctx.body.encoding === "base64" ? "base64" : "utf8");
      const sha = repo.git.writeBlob(data);
      return created({ url: `${repoApi(ctx.s, repo)}/git/blobs/${sha}`, sha });
    })
    .add("GET /repos/:owner/:repo/git/commits/:commit_sha", (ctx) => {
      const repo = ctx.repo();
      if (!repo.git.has(ctx.params.commit_sha, "commit")) throw notFound();
      return ok(gitCommitShape(ctx.s, repo, ctx.params.commit_sha));
    })
    .add("POST /repos/:owner/:repo/git/commits", createCommit);
}
//# sourceMappingURL=git.js.map
