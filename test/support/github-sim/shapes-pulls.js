import { baseSha, isMergeable, pullCommits, pullDiff } from "./pull-logic.js";
import { association, issueShape, nodeId, reactionSummary, repoApi, repoHtml, repoShape, userShape } from "./shapes.js";
export function pullShape(s, repo, pr) {
  const api = `${repoApi(s, repo)}/pulls/${pr.number}`;
  const html = `${repoHtml(s, repo)}/pull/${pr.number}`;
  const issue = issueShape(s, repo, pr);
  const repoJson = repoShape(s, repo);
  const end = (ref, sha) => ({ label: `${repo.owner}:${ref}`, ref, sha, user: userShape(s, repo.owner), repo: repoJson });
  const files = pullDiff(s, repo, pr);
  const mergeable = isMergeable(s, repo, pr);
  const link = (href) => ({ href });
  return {
    url: api,
    id: pr.pull.id,
    node_id: nodeId("PullRequest", pr.pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue.url,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi(s, repo)}/pulls/comments{/number}`,
    comments_url: issue.comments_url,
    statuses_url: `${repoApi(s, repo)}/statuses/${pr.pull.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: issue.user,
    body: pr.body,
    labels: issue.labels,
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.pull.mergedAt,
    merge_commit_sha: pr.pull.mergeCommitSha,
    assignee: issue.assignee,
    assignees: issue.assignees,
    requested_reviewers: [],
    requested_teams: [],
    head: end(pr.pull.headRef, pr.pull.headSha),
    base: end(pr.pull.baseRef, baseSha(s, repo, pr)),
    _links: {
      self: link(api),
      html: link(html),
      issue: link(issue.url),
      comments: link(issue.comments_url),
      review_comments: link(`${api}/comments`),
      review_comment: link(`${repoApi(s, repo)}/pulls/comments{/number}`),
      commits: link(`${api}/commits`),
      statuses: link(`${repoApi(s, repo)}/statuses/${pr.pull.headSha}`),
    },
    author_association: issue.author_association,
    auto_merge: null,
    draft: pr.pull.draft,
    merged: pr.pull.merged,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: pr.pull.merged || pr.state === "closed" ? "unknown" : mergeable ? (pr.pull.draft ? "draft" : "clean") : "dirty",
    merged_by: pr.pull.mergedBy ? userShape(s, pr.pull.mergedBy) : null,
    comments: issue.comments,
    review_comments: repo.reviewComments.filter((c) => c.pull === pr.number).length,
    maintainer_can_modify: pr.pull.maintainerCanModify,
    commits: pullCommits(s, repo, pr).length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}
/** A pull request as the list endpoint and `check_run.pull_requests` show it, without counts. */
export function pullListShape(s, repo, pr) {
  const full = pullShape(s, repo, pr);
  const {
    merged: _m,
    mergeable: _a,
    rebaseable: _r,
    mergeable_state: _s,
    merged_by: _b,
    comments: _c,
    review_comments: _rc,
    maintainer_can_modify: _mm,
    commits: _co,
    additions: _ad,
    deletions: _de,
    changed_files: _cf,
    ...rest
  } = full;
  return rest;
}
export function reviewShape(s, repo, review) {
  const html = `${repoHtml(s, repo)}/pull/${review.pull}#pullrequestreview-${review.id}`;
  const pullUrl = `${repoApi(s, repo)}/pulls/${review.pull}`;
  return {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: userShape(s, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: association(repo, review.user),
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    ...(review.submittedAt ? { submitted_at: review.submittedAt } : {}),
    commit_id: review.commitId,
  };
}
export function reviewCommentShape(s, repo, c) {
  const url = `${repoApi(s, repo)}/pulls/comments/${c.id}`;
  const html = `${repoHtml(s, repo)}/pull/${c.pull}#discussion_r${c.id}`;
  const pullUrl = `${repoApi(s, repo)}/pulls/${c.pull}`;
  return {
    url,
    pull_request_review_id: c.reviewId,
    id: c.id,
    node_id: nodeId("PullRequestReviewComment", c.id),
    diff_hunk: c.diffHunk,
    path: c.path,
    position: c.position,
    original_position: c.position,
    commit_id: c.commitId,
    original_commit_id: c.commitId,
    user: userShape(s, c.user),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: association(repo, c.user),
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
    reactions: reactionSummary(`${url}/reactions`, []),
    start_line: c.startLine,
    original_start_line: c.startLine,
    start_side: c.startSide,
    line: c.line,
    original_line: c.line,
    side: c.side,
    subject_type: "line",
  };
}
//# sourceMappingURL=shapes-pulls.js.map
