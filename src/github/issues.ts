import type { GitHubClient, RepoName } from "./client.js";
import type { IssueComment, IssueData, LabelEvent, Reaction } from "./door.js";
import { httpStatus } from "./errors.js";

export interface IssueRef {
  owner: string;
  repo: string;
  issue: number;
}

export async function getIssue(gh: GitHubClient, ref: IssueRef): Promise<IssueData> {
  const { data } = await gh.rest.issues.get({ owner: ref.owner, repo: ref.repo, issue_number: ref.issue });
  return {
    number: data.number,
    title: data.title,
    body: data.body ?? "",
    state: data.state,
    labels: data.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
    isPullRequest: Boolean(data.pull_request),
    author: data.user?.login ?? "",
  };
}

/** Every comment of an issue, oldest first (paginated: busy issues have hundreds). */
export async function listComments(gh: GitHubClient, ref: IssueRef): Promise<IssueComment[]> {
  const all = await gh.paginate(gh.rest.issues.listComments, { owner: ref.owner, repo: ref.repo, issue_number: ref.issue, per_page: 100 });
  return all.map((c) => ({
    id: c.id,
    body: c.body ?? "",
    userLogin: c.user?.login ?? "",
    userType: c.user?.type ?? "",
    appId: c.performed_via_github_app?.id ?? null,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  }));
}

/** The issue's label events, oldest first (paginated; other kinds of events are left out). */
export async function listLabelEvents(gh: GitHubClient, ref: IssueRef): Promise<LabelEvent[]> {
  const all = await gh.paginate(gh.rest.issues.listEvents, { owner: ref.owner, repo: ref.repo, issue_number: ref.issue, per_page: 100 });
  const events: LabelEvent[] = [];
  for (const e of all) {
    if (e.event !== "labeled" && e.event !== "unlabeled") continue;
    const label = (e as { label?: { name?: string } }).label?.name ?? "";
    const actor = e.actor ? { login: e.actor.login, type: e.actor.type } : null;
    events.push({ event: e.event, label, actor, createdAt: e.created_at });
  }
  return events;
}

export async function createComment(gh: GitHubClient, ref: IssueRef, body: string): Promise<number> {
  const { data } = await gh.rest.issues.createComment({ owner: ref.owner, repo: ref.repo, issue_number: ref.issue, body });
  return data.id;
}

export async function updateComment(gh: GitHubClient, repo: RepoName, commentId: number, body: string): Promise<void> {
  await gh.rest.issues.updateComment({ owner: repo.owner, repo: repo.repo, comment_id: commentId, body });
}

/**
 * Creates or updates the app's comment that carries `marker` (an HTML comment), so a retried job
 * edits the comment it posted instead of posting another.
 */
export async function ensureMarkedComment(
  gh: GitHubClient,
  ref: IssueRef,
  marker: string,
  body: string,
  isOurs: (c: IssueComment) => boolean,
  comments?: IssueComment[],
): Promise<number> {
  const existing = (comments ?? (await listComments(gh, ref))).find((c) => isOurs(c) && c.body.includes(marker));
  const full = body.includes(marker) ? body : `${marker}\n${body}`;
  if (existing) {
    if (existing.body !== full) await updateComment(gh, ref, existing.id, full);
    return existing.id;
  }
  return createComment(gh, ref, full);
}

export async function addLabels(gh: GitHubClient, ref: IssueRef, labels: string[]): Promise<void> {
  if (labels.length === 0) return;
  await gh.rest.issues.addLabels({ owner: ref.owner, repo: ref.repo, issue_number: ref.issue, labels });
}

/** Removes a label; a label that is not there is already removed. */
export async function removeLabel(gh: GitHubClient, ref: IssueRef, name: string): Promise<void> {
  try {
    await gh.rest.issues.removeLabel({ owner: ref.owner, repo: ref.repo, issue_number: ref.issue, name });
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
}

export async function reactToComment(gh: GitHubClient, owner: string, repo: string, commentId: number, content: Reaction): Promise<void> {
  await gh.rest.reactions.createForIssueComment({ owner, repo, comment_id: commentId, content });
}

/** Whether `login` has reacted with `content` to the comment. */
export async function hasReaction(gh: GitHubClient, repo: RepoName, commentId: number, content: Reaction, login: string): Promise<boolean> {
  const reactions = await gh.paginate(gh.rest.reactions.listForIssueComment, {
    owner: repo.owner,
    repo: repo.repo,
    comment_id: commentId,
    content,
    per_page: 100,
  });
  return reactions.some((r) => r.user?.login === login);
}

/** Open issues carrying `label`, pull requests left out. */
export async function listOpenIssuesWithLabel(gh: GitHubClient, repo: RepoName, label: string): Promise<number[]> {
  const issues = await gh.paginate(gh.rest.issues.listForRepo, {
    owner: repo.owner,
    repo: repo.repo,
    state: "open",
    labels: label,
    per_page: 100,
  });
  return issues.filter((issue) => !issue.pull_request).map((issue) => issue.number);
}
