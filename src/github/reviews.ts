import { authenticatedApp } from "./check-runs.js";
import type { GitHubClient, RepoRef } from "./client.js";

/** An inline comment of a review, on the head side of a line the PR's diff shows. */
export interface ReviewComment {
  path: string;
  line: number;
  side: "RIGHT";
  body: string;
}

export interface AppReview {
  id: number;
  body: string;
  commitId: string | null;
}

export interface AppReviewComment {
  id: number;
  reviewId: number | null;
  path: string;
  line: number | null;
  body: string;
}

type Author = { login: string; type: string } | null | undefined;

/** Whether a review or comment was written by this app (by its bot login; by any bot when the app is unknown). */
async function authoredByApp(gh: GitHubClient): Promise<(user: Author) => boolean> {
  const app = await authenticatedApp(gh);
  if (app !== null && app.slug !== "") return (user) => user?.login === `${app.slug}[bot]`;
  return (user) => user?.type === "Bot";
}

/** The app's reviews on a PR, oldest first. */
export async function listAppReviews(gh: GitHubClient, repo: RepoRef, pullNumber: number): Promise<AppReview[]> {
  const mine = await authoredByApp(gh);
  const reviews = await gh.paginate(gh.rest.pulls.listReviews, {
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return reviews.filter((r) => mine(r.user)).map((r) => ({ id: r.id, body: r.body ?? "", commitId: r.commit_id ?? null }));
}

/** The app's inline review comments on a PR, oldest first. */
export async function listAppReviewComments(gh: GitHubClient, repo: RepoRef, pullNumber: number): Promise<AppReviewComment[]> {
  const mine = await authoredByApp(gh);
  const comments = await gh.paginate(gh.rest.pulls.listReviewComments, {
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return comments
    .filter((c) => mine(c.user))
    .map((c) => ({ id: c.id, reviewId: c.pull_request_review_id ?? null, path: c.path, line: c.line ?? null, body: c.body }));
}

/** The app's review whose body carries `marker` exactly, if it exists. */
export async function findAppReviewWithMarker(
  gh: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  marker: string,
): Promise<AppReview | null> {
  const reviews = await listAppReviews(gh, repo, pullNumber);
  return reviews.find((r) => r.body.includes(marker)) ?? null;
}

export interface CommentReview {
  /** The commit the review is pinned to. */
  commitId: string;
  body: string;
  comments: readonly ReviewComment[];
}

/**
 * Posts a review of event `COMMENT` (GitHub refuses APPROVE and REQUEST_CHANGES from a PR's own
 * author, and the app authored the PR). Returns the review id.
 */
export async function createCommentReview(gh: GitHubClient, repo: RepoRef, pullNumber: number, review: CommentReview): Promise<number> {
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
