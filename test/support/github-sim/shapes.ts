import type { SimState } from "./state.js";
import type { AppRef, CommentRecord, IssueEventRecord, IssueRecord, LabelRecord, ReactionRecord, RepoState } from "./types.js";

/** GitHub's legacy global node id, e.g. "MDQ6VXNlcjE=" for User 1. */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString("base64");
}

export function repoApi(s: SimState, repo: RepoState): string {
  return `${s.baseUrl}/repos/${repo.owner}/${repo.name}`;
}

export function repoHtml(s: SimState, repo: RepoState): string {
  return `${s.origin}/${repo.owner}/${repo.name}`;
}

export function userShape(s: SimState, login: string) {
  const user = s.ensureUser(login);
  const api = `${s.baseUrl}/users/${encodeURIComponent(user.login)}`;
  const bot = user.type === "Bot";
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(bot ? "Bot" : "User", user.id),
    avatar_url: `${s.origin}/avatars/u/${user.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: bot ? `${s.origin}/apps/${user.login.replace(/\[bot\]$/, "")}` : `${s.origin}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

const REPO_URLS: [string, string][] = [
  ["archive_url", "/{archive_format}{/ref}"],
  ["assignees_url", "/assignees{/user}"],
  ["blobs_url", "/git/blobs{/sha}"],
  ["branches_url", "/branches{/branch}"],
  ["collaborators_url", "/collaborators{/collaborator}"],
  ["comments_url", "/comments{/number}"],
  ["commits_url", "/commits{/sha}"],
  ["compare_url", "/compare/{base}...{head}"],
  ["contents_url", "/contents/{+path}"],
  ["contributors_url", "/contributors"],
  ["deployments_url", "/deployments"],
  ["downloads_url", "/downloads"],
  ["events_url", "/events"],
  ["forks_url", "/forks"],
  ["git_commits_url", "/git/commits{/sha}"],
  ["git_refs_url", "/git/refs{/sha}"],
  ["git_tags_url", "/git/tags{/sha}"],
  ["hooks_url", "/hooks"],
  ["issue_comment_url", "/issues/comments{/number}"],
  ["issue_events_url", "/issues/events{/number}"],
  ["issues_url", "/issues{/number}"],
  ["keys_url", "/keys{/key_id}"],
  ["labels_url", "/labels{/name}"],
  ["languages_url", "/languages"],
  ["merges_url", "/merges"],
  ["milestones_url", "/milestones{/number}"],
  ["notifications_url", "/notifications{?since,all,participating}"],
  ["pulls_url", "/pulls{/number}"],
  ["releases_url", "/releases{/id}"],
  ["stargazers_url", "/stargazers"],
  ["statuses_url", "/statuses/{sha}"],
  ["subscribers_url", "/subscribers"],
  ["subscription_url", "/subscription"],
  ["tags_url", "/tags"],
  ["teams_url", "/teams"],
  ["trees_url", "/git/trees{/sha}"],
];

export function repoShape(s: SimState, repo: RepoState) {
  const api = repoApi(s, repo);
  const html = repoHtml(s, repo);
  const full = `${repo.owner}/${repo.name}`;
  const openIssues = [...repo.issues.values()].filter((i) => i.state === "open").length;
  const pushedAt = repo.createdAt;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: full,
    private: repo.private,
    owner: userShape(s, repo.owner),
    html_url: html,
    description: null,
    fork: false,
    url: api,
    ...Object.fromEntries(REPO_URLS.map(([key, suffix]) => [key, api + suffix])),
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    pushed_at: pushedAt,
    git_url: `git://${s.host}/${full}.git`,
    ssh_url: `git@${s.host.replace(/:\d+$/, "")}:${full}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 1,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [] as string[],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.defaultBranch,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    network_count: 0,
    subscribers_count: 0,
  };
}

/** The "minimal repository" embedded in statuses and check suites: the full form, less counts and settings. */
export function miniRepoShape(s: SimState, repo: RepoState) {
  const {
    network_count: _n,
    subscribers_count: _s,
    allow_squash_merge: _a,
    allow_merge_commit: _b,
    allow_rebase_merge: _c,
    allow_auto_merge: _d,
    delete_branch_on_merge: _e,
    ...rest
  } = repoShape(s, repo);
  return rest;
}

export function appShape(s: SimState, app: AppRef) {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    owner: userShape(s, app.owner),
    name: app.name,
    description: "",
    external_url: `${s.origin}/apps/${app.slug}`,
    html_url: `${s.origin}/apps/${app.slug}`,
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    permissions: { checks: "write", contents: "write", issues: "write", metadata: "read", pull_requests: "write", statuses: "read" },
    events: ["check_run", "check_suite", "issue_comment", "issues", "pull_request", "pull_request_review", "status"],
  };
}

export function labelShape(s: SimState, repo: RepoState, label: LabelRecord) {
  return {
    id: label.id,
    node_id: nodeId("Label", label.id),
    url: `${repoApi(s, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: false,
    description: label.description,
  };
}

/** OWNER, COLLABORATOR or NONE, from the user's place in the repository. */
export function association(repo: RepoState, login: string): string {
  if (login.toLowerCase() === repo.owner.toLowerCase()) return "OWNER";
  const role = repo.roles.get(login.toLowerCase());
  return role && role !== "none" ? "COLLABORATOR" : "NONE";
}

export function reactionSummary(url: string, reactions: ReactionRecord[]) {
  const count = (content: string) => reactions.filter((r) => r.content === content).length;
  return {
    url,
    total_count: reactions.length,
    "+1": count("+1"),
    "-1": count("-1"),
    laugh: count("laugh"),
    hooray: count("hooray"),
    confused: count("confused"),
    heart: count("heart"),
    rocket: count("rocket"),
    eyes: count("eyes"),
  };
}

export function issueShape(s: SimState, repo: RepoState, issue: IssueRecord) {
  const url = `${repoApi(s, repo)}/issues/${issue.number}`;
  const html = `${repoHtml(s, repo)}/${issue.pull ? "pull" : "issues"}/${issue.number}`;
  const labels = issue.labels.map((name) => repo.labels.get(name.toLowerCase())).filter((l) => l !== undefined);
  const comments = [...repo.comments.values()].filter((c) => c.issue === issue.number).length;
  const assignees = issue.assignees.map((login) => userShape(s, login));
  return {
    url,
    repository_url: repoApi(s, repo),
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: html,
    id: issue.id,
    node_id: nodeId(issue.pull ? "PullRequest" : "Issue", issue.id),
    number: issue.number,
    title: issue.title,
    user: userShape(s, issue.user),
    labels: labels.map((l) => labelShape(s, repo, l)),
    state: issue.state,
    locked: false,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    comments,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    closed_by: issue.closedBy ? userShape(s, issue.closedBy) : null,
    author_association: association(repo, issue.user),
    active_lock_reason: null,
    ...(issue.pull
      ? {
          draft: issue.pull.draft,
          pull_request: {
            url: `${repoApi(s, repo)}/pulls/${issue.number}`,
            html_url: html,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            merged_at: issue.pull.mergedAt,
          },
        }
      : {}),
    body: issue.body,
    reactions: reactionSummary(`${url}/reactions`, []),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    state_reason: issue.stateReason,
  };
}

export function commentShape(s: SimState, repo: RepoState, comment: CommentRecord) {
  const issue = repo.issues.get(comment.issue);
  const url = `${repoApi(s, repo)}/issues/comments/${comment.id}`;
  const reactions = repo.reactions.filter((r) => r.commentId === comment.id);
  return {
    url,
    html_url: `${repoHtml(s, repo)}/${issue?.pull ? "pull" : "issues"}/${comment.issue}#issuecomment-${comment.id}`,
    issue_url: `${repoApi(s, repo)}/issues/${comment.issue}`,
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    user: userShape(s, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: association(repo, comment.user),
    body: comment.body,
    reactions: reactionSummary(`${url}/reactions`, reactions),
    performed_via_github_app: comment.viaApp ? appShape(s, s.app) : null,
  };
}

export function reactionShape(s: SimState, reaction: ReactionRecord) {
  return {
    id: reaction.id,
    node_id: nodeId("Reaction", reaction.id),
    user: userShape(s, reaction.user),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}

/** A label event as `GET /issues/{n}/events` answers it. */
export function issueEventShape(s: SimState, repo: RepoState, event: IssueEventRecord) {
  return {
    id: event.id,
    node_id: nodeId(event.event === "labeled" ? "LabeledEvent" : "UnlabeledEvent", event.id),
    url: `${repoApi(s, repo)}/issues/events/${event.id}`,
    actor: userShape(s, event.actor),
    event: event.event,
    commit_id: null,
    commit_url: null,
    created_at: event.createdAt,
    performed_via_github_app: event.viaApp ? appShape(s, s.app) : null,
    label: event.label,
  };
}
