import type { AppReview, AppReviewComment } from "../github/door.js";
import { parseAuditMarker, parseFindingKeys } from "./markers.js";
import type { Finding } from "./types.js";

export interface EarlierInput {
  runId: string;
  phaseId: string;
  attempt: number;
  previousFindings: readonly Finding[];
  /** The app's reviews and inline comments on the PR (empty when they could not be read). */
  reviews: readonly AppReview[];
  comments: readonly AppReviewComment[];
}

/**
 * Keys of findings reported by earlier attempts of this run's phase, each with the first attempt
 * that reported it: read from the hidden markers of the app's own reviews and comments, and from
 * `previousFindings` (attempt unknown when only they know the key).
 */
export function earlierFindingAttempts(input: EarlierInput): Map<string, number | null> {
  const attemptOfReview = new Map<number, number>();
  const out = new Map<string, number | null>();
  const note = (key: string, attempt: number) => {
    const known = out.get(key);
    if (known === undefined || known === null || attempt < known) out.set(key, attempt);
  };
  for (const review of input.reviews) {
    const marker = parseAuditMarker(review.body);
    if (marker === null || marker.runId !== input.runId || marker.phaseId !== input.phaseId || marker.attempt >= input.attempt) continue;
    attemptOfReview.set(review.id, marker.attempt);
    for (const key of parseFindingKeys(review.body)) note(key, marker.attempt);
  }
  for (const comment of input.comments) {
    const attempt = comment.reviewId === null ? undefined : attemptOfReview.get(comment.reviewId);
    if (attempt === undefined) continue;
    for (const key of parseFindingKeys(comment.body)) note(key, attempt);
  }
  for (const f of input.previousFindings) if (!out.has(f.key)) out.set(f.key, null);
  return out;
}
