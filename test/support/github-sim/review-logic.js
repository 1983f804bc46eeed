import { unprocessable } from "./http-error.js";
import { commentableLines, diffHunkUpTo } from "./patch.js";
import { baseSha, pullDiff } from "./pull-logic.js";
const STATE = { APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED", COMMENT: "COMMENTED" };
/**
 * Creates a review as GitHub does: every inline comment must sit on a line of the diff of
 * `commit_id` (on the side it names) or the whole review is refused with a 422 and nothing stored.
 */
export function createReview(s, repo, pr, user, input) {
  const commitId = input.commit_id ?? pr.pull.headSha;
  const inPull =
    repo.git.has(commitId, "commit") &&
    repo.git.isAncestor(commitId, pr.pull.headSha) &&
    !repo.git.isAncestor(commitId, baseSha(s, repo, pr));
  if (!inPull && commitId !== pr.pull.headSha) throw unprocessable(["Commit could not be resolved"]);
  const own = pr.user.toLowerCase() === user.toLowerCase();
  if (own && input.event === "APPROVE") throw unprocessable(["Can not approve your own pull request"]);
  if (own && input.event === "REQUEST_CHANGES") throw unprocessable(["Can not request changes on your own pull request"]);
  const comments = input.comments ?? [];
  if (input.event === "REQUEST_CHANGES" && !input.body) throw unprocessable(["Body can't be blank"]);
  if (input.event === "COMMENT" && !input.body && comments.length === 0) throw unprocessable(["Body can't be blank"]);
  const files = pullDiff(s, repo, pr, commitId);
  const now = s.now();
  const review = {
    id: s.nextId(),
    pull: pr.number,
    user,
    body: input.body ?? "",
    state: input.event ? STATE[input.event] : "PENDING",
    commitId,
    submittedAt: input.event ? now : null,
  };
  const errors = [];
  const stored = [];
  for (const c of comments) {
    const file = files.find((f) => f.filename === c.path);
    if (!file || file.hunks.length === 0) {
      errors.push("Path could not be resolved");
      continue;
    }
    const lines = commentableLines(file);
    let end;
    if (c.line === undefined && c.position !== undefined) {
      end = lines.find((l) => l.position === c.position && l.side === "RIGHT") ?? lines.find((l) => l.position === c.position);
    } else {
      end = lines.find((l) => l.side === (c.side ?? "RIGHT") && l.line === c.line);
    }
    if (!end) {
      errors.push(c.line === undefined && c.position !== undefined ? "Position could not be resolved" : "Line could not be resolved");
      continue;
    }
    let start;
    if (c.start_line !== undefined) {
      start = lines.find((l) => l.side === (c.start_side ?? c.side ?? "RIGHT") && l.line === c.start_line);
      if (!start || start.hunk !== end.hunk) {
        errors.push("Start line could not be resolved");
        continue;
      }
      if (start.position > end.position || (start.position === end.position && start.line >= end.line)) {
        errors.push("Start line must precede the end line");
        continue;
      }
    }
    stored.push({
      id: s.nextId(),
      reviewId: review.id,
      pull: pr.number,
      user,
      body: c.body,
      path: c.path,
      line: end.line,
      side: end.side,
      startLine: start?.line ?? null,
      startSide: start?.side ?? null,
      position: end.position,
      diffHunk: diffHunkUpTo(file, end.position),
      commitId,
      createdAt: now,
      updatedAt: now,
    });
  }
  if (errors.length > 0) throw unprocessable(errors);
  repo.reviews.push(review);
  repo.reviewComments.push(...stored);
  return review;
}
//# sourceMappingURL=review-logic.js.map
