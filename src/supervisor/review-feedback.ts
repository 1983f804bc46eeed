import { canSteer, isBot } from "../app/permissions.js";
import type { GitHubClient } from "../github/client.js";
import { roleOf } from "../github/issues.js";

/**
 * What people said on a phase PR, as feedback for the Builder: a review's body and inline comments
 * (its author's write access is checked by the caller), or, with no review, every inline comment by
 * a person with write access. Bots' comments, the app's own audit included, are left out (the
 * Auditor's findings reach the Builder through the run's state), and so is anyone who may not steer.
 */
export async function reviewFeedback(
  gh: GitHubClient,
  owner: string,
  repo: string,
  pull: number,
  review: { id: number; body: string } | null,
): Promise<string> {
  let comments;
  if (review) {
    comments = await gh.paginate(gh.rest.pulls.listCommentsForReview, {
      owner,
      repo,
      pull_number: pull,
      review_id: review.id,
      per_page: 100,
    });
  } else {
    const all = (await gh.paginate(gh.rest.pulls.listReviewComments, { owner, repo, pull_number: pull, per_page: 100 })).filter(
      (c) => !isBot(c.user),
    );
    const roles = new Map<string, boolean>();
    for (const login of new Set(all.map((c) => c.user?.login ?? "")))
      roles.set(login, login !== "" && canSteer(await roleOf(gh, owner, repo, login)));
    comments = all.filter((c) => roles.get(c.user?.login ?? "") === true);
  }
  const lines: string[] = [];
  if (review?.body?.trim()) lines.push(review.body.trim());
  for (const c of comments) lines.push(`- ${c.path}${c.line ? `:${c.line}` : ""}: ${c.body.trim()}`);
  return lines.join("\n").slice(0, 20_000);
}
