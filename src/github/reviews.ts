import type { GitHubClient, RepoName } from "./client.js";
import type { AppIdentity, AppReview, AppReviewComment, Author, CommentReview, PullReview, PullReviewComment } from "./door.js";

type User = { login: string; type: string } | null | undefined;

const author = (user: User): Author | null => (user ? { login: user.login, type: user.type } : null);

/** Whether a review or comment was written by this app (by its bot login; by any bot when the app is unknown). */
function authoredBy(app: AppIdentity | null): (user: Author | null) => boolean {
  if (app !== null && app.slug !== "") return (user) => user?.login === `${app.slug}[bot]`;
  return (user) => user?.type === "Bot";
}

/** Every review of a PR, oldest first. */
export async function listReviews(gh: GitHubClient, repo: RepoName, pullNumber: number): Promise<PullReview[]> {
  const reviews = await gh.paginate(gh.rest.pulls.listReviews, {
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return reviews.map((r) => ({ id: r.id, body: r.body ?? "", commitId: r.commit_id ?? null, author: author(r.user) }));
}

/** Every inline review comment of a PR, or of one of its reviews, oldest first. */
export async function listReviewComments(
  gh: GitHubClient,
  repo: RepoName,
  pullNumber: number,
  reviewId?: number,
): Promise<PullReviewComment[]> {
  const params = { owner: repo.owner, repo: repo.repo, pull_number: pullNumber, per_page: 100 };
  const comments =
    reviewId === undefined
      ? await gh.paginate(gh.rest.pulls.listReviewComments, params)
      : await gh.paginate(gh.rest.pulls.listCommentsForReview, { ...params, review_id: reviewId });
  return comments.map((c) => ({
    id: c.id,
    reviewId: c.pull_request_review_id ?? null,
    path: c.path,
    line: c.line ?? null,
    body: c.body,
    author: author(c.user),
  }));
}

/** The app's reviews on a PR, oldest first. */
export async function listAppReviews(gh: GitHubClient, repo: RepoName, pullNumber: number, app: AppIdentity | null): Promise<AppReview[]> {
  const mine = authoredBy(app);
  return (await listReviews(gh, repo, pullNumber)).filter((r) => mine(r.author)).map(({ id, body, commitId }) => ({ id, body, commitId }));
}

/** The app's inline review comments on a PR, oldest first. */
export async function listAppReviewComments(
  gh: GitHubClient,
  repo: RepoName,
  pullNumber: number,
  app: AppIdentity | null,
): Promise<AppReviewComment[]> {
  const mine = authoredBy(app);
  return (await listReviewComments(gh, repo, pullNumber))
    .filter((c) => mine(c.author))
    .map(({ id, reviewId, path, line, body }) => ({ id, reviewId, path, line, body }));
}

/** The app's review whose body carries `marker` exactly, if it exists. */
export async function findAppReviewWithMarker(
  gh: GitHubClient,
  repo: RepoName,
  pullNumber: number,
  marker: string,
  app: AppIdentity | null,
): Promise<AppReview | null> {
  const reviews = await listAppReviews(gh, repo, pullNumber, app);
  return reviews.find((r) => r.body.includes(marker)) ?? null;
}

/**
 * Posts a review of event `COMMENT` (GitHub refuses APPROVE and REQUEST_CHANGES from a PR's own
 * author, and the app authored the PR). Returns the review id.
 */
export async function createCommentReview(gh: GitHubClient, repo: RepoName, pullNumber: number, review: CommentReview): Promise<number> {
  const { data } = await gh.rest.pulls.createReview({
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pullNumber,
    commit_id: review.commitId,
    event: "COMMENT",
    body: review.body,
    comments: review.comments.map((c) => ({ path: c.path, line: c.line, side: c.side, body: c.body })),
  });
  return data.id;
}
