import type { IssueComment, LabelEvent, RepoGitHub, RepositoryInfo } from "../github/door.js";
import { isBot } from "../policy/permissions.js";
import type { RunState } from "./run-state.js";
import { decodeStateBlock, hasStateBlock } from "./state-codec.js";

export type RepoInfo = RepositoryInfo;

export interface StoredRun {
  commentId: number;
  body: string;
  state: RunState;
}

export interface RunHistory {
  /** The issue's latest run (the one `/autopack` commands act on). */
  latest: StoredRun | null;
  /** The highest run number among the issue's status comments (see {@link nextRunNumber}). */
  count: number;
  /** Comments that look like status comments but whose state block fails verification. */
  refused: number[];
}

/**
 * Rebuilds the issue's runs from its comments: a run is a comment written by this app whose state
 * block verifies for this repository and issue. Copies by people or other bots, and edited blocks,
 * are refused.
 */
export function readRunHistory(
  comments: IssueComment[],
  isOurs: (c: IssueComment) => boolean,
  key: Buffer,
  repoId: number,
  issue: number,
): RunHistory {
  let latest: StoredRun | null = null;
  let count = 0;
  const refused: number[] = [];
  for (const comment of comments) {
    if (!hasStateBlock(comment.body)) continue;
    if (!isOurs(comment)) {
      refused.push(comment.id);
      continue;
    }
    const decoded = decodeStateBlock(comment.body, key, repoId, issue);
    if (!decoded.ok) {
      refused.push(comment.id);
      continue;
    }
    count = Math.max(count, decoded.state.n);
    if (latest === null || decoded.state.n >= latest.state.n) latest = { commentId: comment.id, body: comment.body, state: decoded.state };
  }
  return { latest, count, refused };
}

/**
 * The number of the issue's next run (`n` of its id `gh-<repo>-<issue>-<n>`), which never repeats.
 * Status comments alone cannot say it: a deleted one would let the next run take its number, and its
 * id would then collide with the old run's at the orchestrator and in the old run's commit trailers.
 * Every run starts from a person adding a label, and GitHub never deletes an issue's label events: the
 * number is at least how many times people have added a label to the issue, and above every run the
 * status comments still show.
 */
export function nextRunNumber(history: Pick<RunHistory, "count">, labelEvents: readonly LabelEvent[]): number {
  const labellings = labelEvents.filter((e) => e.event === "labeled" && e.actor !== null && !isBot(e.actor)).length;
  return Math.max(history.count + 1, labellings);
}

/** Writes the status comment: edits the run's comment when the text changed, or posts it the first time. */
export async function saveStatus(github: RepoGitHub, issue: number, stored: StoredRun | null, body: string): Promise<number> {
  if (stored === null) return github.createComment(issue, body);
  if (stored.body !== body) await github.updateComment(stored.commentId, body);
  return stored.commentId;
}
