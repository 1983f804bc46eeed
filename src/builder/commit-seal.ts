import { createHmac, timingSafeEqual } from "node:crypto";
import type { GitCommitInfo } from "../github/door.js";
import { parseTrailers } from "./commit-message.js";

/**
 * How the app knows its own commits. Trailers (`Autopack-Run`, `Autopack-Phase`, …) can be copied onto
 * any commit, so every Builder commit also carries `Autopack-Seal`: an HMAC, under a key derived from the
 * run state's key, over what the commit is for (run, phase, attempt) and what it is (its tree, its one
 * parent, and the base head when it was built directly on the base). A seal copied onto another commit
 * does not verify: only the very commit the app made does. Nothing else makes a commit the app's.
 */

export interface CommitFields {
  runId: string;
  phaseId: string;
  attempt: number;
  parentSha: string;
  treeSha: string;
  /** Set when the commit was built directly on the base branch's head (then its parent). */
  baseSha: string | null;
}

/** The key of commit seals, derived from the state key (so one secret keeps both, and neither key is the other). */
export function commitSealKey(stateKey: Buffer): Buffer {
  return createHmac("sha256", stateKey).update("autopack commit seal v1").digest();
}

/** The `Autopack-Seal` trailer's value for a commit with these fields. */
export function commitSeal(key: Buffer, fields: CommitFields): string {
  const what = JSON.stringify([fields.runId, fields.phaseId, fields.attempt, fields.parentSha, fields.treeSha, fields.baseSha]);
  // 128 bits in hex: nothing in it can look like a token to the secret scanners of the outbound pipeline.
  return createHmac("sha256", key).update(what).digest("hex").slice(0, 32);
}

/** What a commit's trailers claim it is, unchecked; null when it claims to be no Builder commit (or has not one parent). */
export function claimedFields(commit: GitCommitInfo): CommitFields | null {
  const parent = commit.parents[0];
  if (commit.parents.length !== 1 || parent === undefined) return null;
  const trailers = parseTrailers(commit.message);
  const runId = trailers.get("autopack-run");
  const phaseId = trailers.get("autopack-phase");
  const attempt = trailers.get("autopack-attempt");
  if (!runId || !phaseId || !attempt || !/^\d{1,6}$/.test(attempt)) return null;
  return {
    runId,
    phaseId,
    attempt: Number(attempt),
    parentSha: parent,
    treeSha: commit.treeSha,
    baseSha: trailers.get("autopack-base") ?? null,
  };
}

/** The fields of a commit the app made (its seal verifies), or null for any other commit. */
export function sealedFields(key: Buffer, commit: GitCommitInfo): CommitFields | null {
  const fields = claimedFields(commit);
  const seal = parseTrailers(commit.message).get("autopack-seal");
  if (fields === null || seal === undefined) return null;
  const expected = Buffer.from(commitSeal(key, fields));
  const given = Buffer.from(seal);
  return expected.length === given.length && timingSafeEqual(expected, given) ? fields : null;
}
