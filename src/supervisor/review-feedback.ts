import type { GitHubClient } from "../github/client.js";

/**
 * What people said on a phase PR, as feedback for the Builder: a review's body and inline comments
 * (or, with no review id, every inline comment by a person). Bots' comments, the app's own audit
 * included, are left out: the Auditor's findings reach the Builder through the run's state.
 */
export async function reviewFeedback(
  gh: GitHubClient,
  owner: string,
  repo: string,
  pull: number,
  review: { id: number; body: string } | null,
): Promise<string> {
  const comments = review
    ? await gh.paginate(gh.rest.pulls.listCommentsForReview, { owner, repo, pull_number: pull, review_id: review.id, per_page: 100 })
    : (await gh.paginate(gh.rest.pulls.listReviewComments, { owner, repo, pull_number: pull, per_page: 100 })).filter(
        (c) => c.user?.type !== "Bot",
      );
  const lines: string[] = [];
  if (review?.body?.trim()) lines.push(review.body.trim());
  for (const c of comments) lines.push(`- ${c.path}${c.line ? `:${c.line}` : ""}: ${c.body.trim()}`);
  return lines.join("\n").slice(0, 20_000);
}
