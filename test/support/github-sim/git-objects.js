import { createHash } from "node:crypto";
/** One repository's object database, content-addressed with git's own sha1 ids. */
export class GitStore {
  objects = new Map();
  get(sha) {
    return this.objects.get(sha);
  }
  has(sha, type) {
    const obj = this.objects.get(sha);
    return obj !== undefined && (type === undefined || obj.type === type);
  }
  blob(sha) {
    const obj = this.objects.get(sha);
    return obj?.type === "blob" ? obj.data : undefined;
  }
  tree(sha) {
    const obj = this.objects.get(sha);
    return obj?.type === "tree" ? obj.entries : undefined;
  }
  commit(sha) {
    const obj = this.objects.get(sha);
    return obj?.type === "commit" ? obj.commit : undefined;
  }
  /** The full sha of a commit given a unique prefix of at least 7 hex digits. */
  expandCommit(prefix) {
    if (this.has(prefix, "commit")) return prefix;
    if (!/^[0-9a-f]{7,39}$/.test(prefix)) return undefined;
    const found = [...this.objects.entries()].filter(([sha, o]) => o.type === "commit" && sha.startsWith(prefix));
    return found.length === 1 ? found[0][0] : undefined;
  }
  writeBlob(data) {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    return this.put("blob", buf, { type: "blob", data: buf });
  }
  writeTree(entries) {
    const sorted = [...entries].sort(compareEntries);
    const body = Buffer.concat(
      sorted.map((e) => Buffer.concat([Buffer.from(`${e.mode.replace(/^0+/, "")} ${e.name}\0`), Buffer.from(e.sha, "hex")])),
    );
    return this.put("tree", body, { type: "tree", entries: sorted });
  }
  writeCommit(commit) {
    const sig = (s) => `${s.name} <${s.email}> ${Math.floor(Date.parse(s.date) / 1000)} +0000`;
    const text = [
      `tree ${commit.tree}`,
      ...commit.parents.map((p) => `parent ${p}`),
      `author ${sig(commit.author)}`,
      `committer ${sig(commit.committer)}`,
      "",
      commit.message,
    ].join("\n");
    return this.put("commit", Buffer.from(text, "utf8"), { type: "commit", commit });
  }
  /** The entry at a path of a tree ("" is the tree itself, as a directory). */
  entryAt(treeSha, path) {
    let entry = { name: "", mode: "040000", type: "tree", sha: treeSha };
    for (const part of path.split("/").filter((p) => p !== "")) {
      if (entry.type !== "tree") return undefined;
      const next = this.tree(entry.sha)?.find((e) => e.name === part);
      if (!next) return undefined;
      entry = next;
    }
    return entry;
  }
  /** Every blob under a tree, by full path. */
  flatten(treeSha, prefix = "", out = new Map()) {
    for (const entry of this.tree(treeSha) ?? []) {
      const path = prefix + entry.name;
      if (entry.type === "tree") this.flatten(entry.sha, `${path}/`, out);
      else out.set(path, { sha: entry.sha, mode: entry.mode, type: entry.type });
    }
    return out;
  }
  /** Writes the nested trees for a flat path map; returns the root tree's sha. */
  writeFlat(flat) {
    const root = new Map();
    for (const [path, entry] of flat) {
      const parts = path.split("/");
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.get(part);
        if (!(next instanceof Map)) {
          next = new Map();
          dir.set(part, next);
        }
        dir = next;
      }
      dir.set(parts[parts.length - 1], entry);
    }
    const write = (dir) =>
      this.writeTree(
        [...dir.entries()].map(([name, value]) =>
          value instanceof Map
            ? { name, mode: "040000", type: "tree", sha: write(value) }
            : { name, mode: value.mode, type: value.type, sha: value.sha },
        ),
      );
    return write(root);
  }
  /** Tree entries depth first, as `git ls-tree -r -t` lists them, with full paths. */
  walk(treeSha, recursive, prefix = "") {
    const out = [];
    for (const entry of this.tree(treeSha) ?? []) {
      const path = prefix + entry.name;
      out.push({ ...entry, path });
      if (recursive && entry.type === "tree") out.push(...this.walk(entry.sha, true, `${path}/`));
    }
    return out;
  }
  /** True when `ancestor` is `descendant` or reachable from it through parents. */
  isAncestor(ancestor, descendant) {
    return this.ancestors(descendant).has(ancestor);
  }
  /** `sha` and every commit reachable from it. */
  ancestors(sha) {
    const seen = new Set();
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.shift();
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commit(next)?.parents ?? []));
    }
    return seen;
  }
  /** The nearest common ancestor of two commits (breadth first from `b`). */
  mergeBase(a, b) {
    const fromA = this.ancestors(a);
    const queue = [b];
    const seen = new Set();
    while (queue.length > 0) {
      const next = queue.shift();
      if (fromA.has(next)) return next;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commit(next)?.parents ?? []));
    }
    return undefined;
  }
  /** Commits reachable from `head` but not from `base`, oldest first. */
  commitsBetween(base, head) {
    const excluded = this.ancestors(base);
    const out = [];
    const visit = (sha) => {
      if (excluded.has(sha)) return;
      excluded.add(sha);
      for (const parent of this.commit(sha)?.parents ?? []) visit(parent);
      out.push(sha);
    };
    visit(head);
    return out;
  }
  put(type, body, obj) {
    const sha = createHash("sha1").update(`${type} ${body.length}\0`).update(body).digest("hex");
    if (!this.objects.has(sha)) this.objects.set(sha, obj);
    return sha;
  }
}
function compareEntries(a, b) {
  const ka = a.type === "tree" ? `${a.name}/` : a.name;
  const kb = b.type === "tree" ? `${b.name}/` : b.name;
  return Buffer.compare(Buffer.from(ka), Buffer.from(kb));
}
//# sourceMappingURL=git-objects.js.map
