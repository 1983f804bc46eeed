import type { RepoGitHub } from "../github/door.js";
import { isBot } from "../policy/permissions.js";
import type { SteerGate } from "./steer-gate.js";

/**
 * What people said on a phase PR, as feedback for the Builder: a review's body and inline comments
 * (its author's write access is checked by the caller), or, with no review, the review bodies and
 * inline comments of every person with write access. Bots' words, the app's own audit included, are
 * left out (the Auditor's findings reach the Builder through the run's state), and so is anyone who
 * may not steer the run (`steer`, the job's permission gate).
 */
export async function reviewFeedback(
  github: RepoGitHub,
  steer: SteerGate,
  pull: number,
  review: { id: number; body: string } | null,
): Promise<string> {
  const lines: string[] = [];
  let comments;
  if (review) {
    if (review.body.trim()) lines.push(review.body.trim());
    comments = await github.reviewComments(pull, review.id);
  } else {
    const all = (await github.reviewComments(pull)).filter((c) => !isBot(c.author));
    const reviews = (await github.reviews(pull)).filter((r) => !isBot(r.author) && r.body.trim() !== "");
    const roles = new Map<string, boolean>();
    for (const login of new Set([...all, ...reviews].map((c) => c.author?.login ?? ""))) {
      roles.set(login, (await steer(login)).allowed);
    }
    const steers = (user: { login?: string } | null | undefined) => roles.get(user?.login ?? "") === true;
    for (const r of reviews) if (steers(r.author)) lines.push(`${r.author?.login} (review): ${r.body.trim()}`);
    comments = all.filter((c) => steers(c.author));
  }
  for (const c of comments) lines.push(`- ${c.path}${c.line ? `:${c.line}` : ""}: ${c.body.trim()}`);
  return lines.join("\n").slice(0, 20_000);
}
