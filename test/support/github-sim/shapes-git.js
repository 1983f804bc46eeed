import { diffTrees } from "./patch.js";
import { nodeId, repoApi, repoHtml, userShape } from "./shapes.js";
const UNSIGNED = { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };
/** Base64 broken into 60-character lines, as the blobs and contents endpoints send it. */
export function base64Lines(data) {
  const text = data.toString("base64");
  return text.length === 0 ? "" : `${text.match(/.{1,60}/g).join("\n")}\n`;
}
export function refShape(s, repo, ref, sha) {
  const api = repoApi(s, repo);
  return {
    ref,
    node_id: nodeId("Ref", `${repo.id}:${ref}`),
    url: `${api}/git/${ref}`,
    object: { sha, type: "commit", url: `${api}/git/commits/${sha}` },
  };
}
function parentsShape(s, repo, parents, kind) {
  return parents.map((p) => ({ sha: p, url: `${repoApi(s, repo)}/${kind}/${p}`, html_url: `${repoHtml(s, repo)}/commit/${p}` }));
}
export function gitCommitShape(s, repo, sha) {
  const c = repo.git.commit(sha);
  const api = repoApi(s, repo);
  return {
    sha,
    node_id: nodeId("Commit", sha),
    url: `${api}/git/commits/${sha}`,
    html_url: `${repoHtml(s, repo)}/commit/${sha}`,
    author: { ...c.author },
    committer: { ...c.committer },
    tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
    message: c.message,
    parents: parentsShape(s, repo, c.parents, "git/commits"),
    verification: UNSIGNED,
  };
}
export function diffFileShape(s, repo, file, ref) {
  const html = repoHtml(s, repo);
  const path = file.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.changes,
    blob_url: `${html}/blob/${ref}/${path}`,
    raw_url: `${html}/raw/${ref}/${path}`,
    contents_url: `${repoApi(s, repo)}/contents/${path}?ref=${ref}`,
    ...(file.patch !== undefined ? { patch: file.patch } : {}),
    ...(file.previousFilename ? { previous_filename: file.previousFilename } : {}),
  };
}
/** A commit as lists (PR commits, compare, branches) show it. */
export function commitShape(s, repo, sha) {
  const c = repo.git.commit(sha);
  const api = repoApi(s, repo);
  const git = gitCommitShape(s, repo, sha);
  const author = s.userForEmail(c.author.email);
  const committer = s.userForEmail(c.committer.email);
  return {
    sha,
    node_id: nodeId("Commit", sha),
    commit: {
      author: git.author,
      committer: git.committer,
      message: git.message,
      tree: git.tree,
      url: git.url,
      comment_count: 0,
      verification: UNSIGNED,
    },
    url: `${api}/commits/${sha}`,
    html_url: git.html_url,
    comments_url: `${api}/commits/${sha}/comments`,
    author: author ? userShape(s, author.login) : null,
    committer: committer ? userShape(s, committer.login) : null,
    parents: parentsShape(s, repo, c.parents, "commits"),
  };
}
/** GET /repos/{o}/{r}/commits/{ref}: the commit with its files against its first parent. */
export function commitDetailShape(s, repo, sha) {
  const c = repo.git.commit(sha);
  const base = commitShape(s, repo, sha);
  const parentTree = c.parents[0] ? repo.git.commit(c.parents[0]).tree : repo.git.writeTree([]);
  const files = diffTrees(repo.git, parentTree, c.tree);
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return {
    ...base,
    stats: { total: additions + deletions, additions, deletions },
    files: files.map((f) => diffFileShape(s, repo, f, sha)),
  };
}
export function branchShape(s, repo, branch, sha) {
  const api = repoApi(s, repo);
  return {
    name: branch,
    commit: commitShape(s, repo, sha),
    _links: { self: `${api}/branches/${encodeURIComponent(branch)}`, html: `${repoHtml(s, repo)}/tree/${branch}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
    protection_url: `${api}/branches/${encodeURIComponent(branch)}/protection`,
  };
}
export function treeShape(s, repo, sha, recursive) {
  const api = repoApi(s, repo);
  const all = repo.git.walk(sha, recursive);
  const limit = s.options.treeTruncateAt;
  const entries = all.slice(0, limit).map((e) => ({
    path: e.path,
    mode: e.mode,
    type: e.type,
    sha: e.sha,
    ...(e.type === "blob" ? { size: repo.git.blob(e.sha).length } : {}),
    url: `${api}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
  }));
  return { sha, url: `${api}/git/trees/${sha}`, tree: entries, truncated: all.length > limit };
}
export function blobShape(s, repo, sha) {
  const data = repo.git.blob(sha);
  return {
    sha,
    node_id: nodeId("Blob", sha),
    size: data.length,
    url: `${repoApi(s, repo)}/git/blobs/${sha}`,
    content: base64Lines(data),
    encoding: "base64",
  };
}
export function contentShape(s, repo, path, ref, entry, withContent) {
  const api = repoApi(s, repo);
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  const type = entry.type === "tree" ? "dir" : entry.type === "commit" ? "submodule" : "file";
  const data = entry.type === "blob" ? repo.git.blob(entry.sha) : undefined;
  const self = `${api}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
  const git = `${api}/git/${type === "dir" ? "trees" : "blobs"}/${entry.sha}`;
  const html = `${repoHtml(s, repo)}/${type === "dir" ? "tree" : "blob"}/${ref}/${encoded}`;
  return {
    type,
    ...(withContent && data ? { encoding: "base64" } : {}),
    size: data?.length ?? 0,
    name: path.split("/").pop() ?? path,
    path,
    ...(withContent && data ? { content: base64Lines(data) } : {}),
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: data ? `${s.origin}/raw/${repo.owner}/${repo.name}/${ref}/${encoded}` : null,
    _links: { self, git, html },
  };
}
//# sourceMappingURL=shapes-git.js.map
