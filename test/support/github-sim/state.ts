import { GitStore, type Signature } from "./git-objects.js";
import { notFound } from "./http-error.js";
import type { AppRef, IssueRecord, PullRecord, RepoState, Role, SimUser } from "./types.js";

export interface SimOptions {
  perPage: number;
  treeTruncateAt: number;
}

/** The repository's own CI, as an app: GitHub Actions. */
export const CI_APP: AppRef = { id: 15368, slug: "github-actions", name: "GitHub Actions", owner: "github" };

/** Everything the simulator knows: users, repositories, and the app it serves. */
/** A repository as a test adds it: its owner and name, and what it starts with. */
export interface RepoSpec {
  owner: string;
  name: string;
  defaultBranch?: string;
  files?: Record<string, string>;
  private?: boolean;
  /** Slugs of the apps that get a check suite on every push (see `SimActions.addRepo`). */
  suitesOnPush?: string[];
}

export class SimState {
  origin = "";
  readonly users = new Map<string, SimUser>();
  readonly repos = new Map<string, RepoState>();
  readonly botLogin: string;
  private lastId = 1000;
  private readonly otherApps = new Map<string, AppRef>();
  /** The app's installations, one per account that has repositories here, in the order they came. */
  readonly installations: { id: number; account: string }[] = [];

  constructor(
    readonly options: SimOptions,
    readonly app: AppRef,
    readonly installationId: number,
  ) {
    this.botLogin = `${app.slug}[bot]`;
    this.users.set(this.botLogin.toLowerCase(), { login: this.botLogin, id: 90_000_000 + app.id, type: "Bot" });
    this.ensureUser(app.owner);
  }

  get baseUrl(): string {
    return `${this.origin}/api/v3`;
  }

  get host(): string {
    return this.origin.replace(/^https?:\/\//, "");
  }

  nextId(): number {
    this.lastId += 1 + (this.lastId % 7);
    return this.lastId;
  }

  /** ISO 8601 to the second, as GitHub writes timestamps. */
  now(): string {
    return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  ensureUser(login: string, type: SimUser["type"] = "User"): SimUser {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = { login, id: this.nextId(), type: login.endsWith("[bot]") ? "Bot" : type };
      this.users.set(key, user);
    }
    return user;
  }

  /** A commit signature for a user, with GitHub's no-reply address. */
  signature(login: string, date = this.now()): Signature {
    const user = this.ensureUser(login);
    return { name: user.login, email: `${user.id}+${user.login}@users.noreply.github.com`, date };
  }

  /** The user a commit signature belongs to, through the no-reply address. */
  userForEmail(email: string): SimUser | undefined {
    const m = /^(\d+)\+(.+)@users\.noreply\.github\.com$/.exec(email);
    const user = m ? this.users.get(m[2]!.toLowerCase()) : undefined;
    return user && String(user.id) === m?.[1] ? user : undefined;
  }

  /**
   * The installation on an account, made when the account gets its first repository (the app is
   * installed on every account with repositories here): the first account's has `installationId`.
   */
  installationOn(account: string): { id: number; account: string } {
    const found = this.installations.find((i) => i.account.toLowerCase() === account.toLowerCase());
    if (found) return found;
    const made = { id: this.installations.length === 0 ? this.installationId : this.installationId + this.nextId(), account };
    this.installations.push(made);
    return made;
  }

  findInstallation(id: number): { id: number; account: string } | undefined {
    return this.installations.find((i) => i.id === id);
  }

  findRepo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  repo(owner: string, name: string): RepoState {
    const repo = this.findRepo(owner, name);
    if (!repo) throw notFound();
    return repo;
  }

  addRepo(spec: RepoSpec): RepoState {
    if (this.findRepo(spec.owner, spec.name)) throw new Error(`repository ${spec.owner}/${spec.name} exists already`);
    this.ensureUser(spec.owner);
    this.installationOn(spec.owner);
    const repo: RepoState = {
      id: this.nextId() * 1000 + 7,
      owner: spec.owner,
      name: spec.name,
      defaultBranch: spec.defaultBranch ?? "main",
      private: spec.private ?? false,
      createdAt: this.now(),
      git: new GitStore(),
      refs: new Map(),
      labels: new Map(),
      issues: new Map(),
      nextNumber: 1,
      comments: new Map(),
      issueEvents: [],
      reactions: [],
      reviews: [],
      reviewComments: [],
      checkRuns: new Map(),
      checkSuites: [],
      statuses: [],
      roles: new Map([[spec.owner.toLowerCase(), "admin"]]),
      customRoles: new Map(),
      suitesOnPush: (spec.suitesOnPush ?? []).map((slug) => this.appBySlug(slug)),
    };
    this.repos.set(`${spec.owner}/${spec.name}`.toLowerCase(), repo);
    const flat = new Map(
      Object.entries(spec.files ?? {}).map(([path, text]) => [
        path,
        { sha: repo.git.writeBlob(text), mode: "100644", type: "blob" as const },
      ]),
    );
    const sig = this.signature(spec.owner);
    const sha = repo.git.writeCommit({
      tree: repo.git.writeFlat(flat),
      parents: [],
      message: "Initial commit",
      author: sig,
      committer: sig,
    });
    repo.refs.set(`refs/heads/${repo.defaultBranch}`, sha);
    return repo;
  }

  /** A user's role on a repository, as GitHub's `role_name` says it. */
  role(repo: RepoState, login: string): Role {
    const explicit = repo.roles.get(login.toLowerCase());
    if (explicit) return explicit;
    return repo.private ? "none" : "read";
  }

  issue(repo: RepoState, number: number): IssueRecord {
    const issue = repo.issues.get(number);
    if (!issue) throw notFound();
    return issue;
  }

  pull(repo: RepoState, number: number): IssueRecord & { pull: PullRecord } {
    const issue = repo.issues.get(number);
    if (!issue?.pull) throw notFound();
    return issue as IssueRecord & { pull: PullRecord };
  }

  /** A commit sha for a sha, a sha prefix, a branch, a tag, or a full ref name. */
  resolveCommit(repo: RepoState, ref: string): string | undefined {
    const bySha = repo.git.expandCommit(ref);
    if (bySha) return bySha;
    for (const name of [ref, `refs/${ref}`, `refs/heads/${ref}`, `refs/tags/${ref}`]) {
      const sha = repo.refs.get(name);
      if (sha) return sha;
    }
    return undefined;
  }

  branchHead(repo: RepoState, branch: string): string | undefined {
    return repo.refs.get(`refs/heads/${branch}`);
  }

  /** An app by its slug: GitHub Actions, this app, or another app made up for the test. */
  appBySlug(slug: string): AppRef {
    if (slug === CI_APP.slug) return CI_APP;
    if (slug === this.app.slug) return this.app;
    const known = this.otherApps.get(slug);
    if (known) return known;
    const app: AppRef = { id: 20_000 + this.otherApps.size, slug, name: slug, owner: slug };
    this.otherApps.set(slug, app);
    return app;
  }

  /** Moves (or deletes, with undefined) a ref, and keeps open pull requests in step. */
  setRef(repo: RepoState, ref: string, sha: string | undefined): void {
    if (sha === undefined) repo.refs.delete(ref);
    else repo.refs.set(ref, sha);
    const branch = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
    if (!branch) return;
    // A push: GitHub creates the check suites of the apps that will run checks, before any run exists.
    if (sha !== undefined) {
      for (const app of repo.suitesOnPush) {
        if (repo.checkSuites.some((x) => x.headSha === sha && x.app.id === app.id)) continue;
        repo.checkSuites.push({ id: this.nextId(), headSha: sha, headBranch: branch, app, createdAt: this.now() });
      }
    }
    for (const issue of repo.issues.values()) {
      const pull = issue.pull;
      if (!pull || issue.state !== "open") continue;
      if (pull.headRef === branch) {
        if (sha) pull.headSha = sha;
        else this.closeIssue(repo, issue, null);
      } else if (pull.baseRef === branch && !sha) {
        this.closeIssue(repo, issue, null);
      }
    }
  }

  closeIssue(repo: RepoState, issue: IssueRecord, by: string | null): void {
    issue.state = "closed";
    issue.closedAt = this.now();
    issue.updatedAt = issue.closedAt;
    issue.closedBy = by;
    if (issue.pull) issue.pull.baseSha = this.branchHead(repo, issue.pull.baseRef) ?? issue.pull.baseSha;
  }

  /** A commit on a branch (created from the default branch when missing) that writes or deletes files. */
  commitFiles(repo: RepoState, branch: string, files: Record<string, string | null>, author: string, message: string): string {
    const parent = this.branchHead(repo, branch) ?? this.branchHead(repo, repo.defaultBranch);
    const flat = parent ? repo.git.flatten(repo.git.commit(parent)!.tree) : new Map();
    for (const [path, text] of Object.entries(files)) {
      if (text === null) flat.delete(path);
      else flat.set(path, { sha: repo.git.writeBlob(text), mode: "100644", type: "blob" });
    }
    const sig = this.signature(author);
    const sha = repo.git.writeCommit({
      tree: repo.git.writeFlat(flat),
      parents: parent ? [parent] : [],
      message,
      author: sig,
      committer: sig,
    });
    this.setRef(repo, `refs/heads/${branch}`, sha);
    return sha;
  }
}
