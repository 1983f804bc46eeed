import type { IssueComment, LabelEvent, Reaction, RepoGitHub, RepositoryInfo } from "../github/door.js";
import { isBot } from "../policy/permissions.js";
import type { RunState } from "./run-state.js";
import { decodeStateBlock, hasStateBlock, type BlockBinding } from "./state-codec.js";

export type RepoInfo = RepositoryInfo;

export interface StoredRun {
  commentId: number;
  body: string;
  state: RunState;
  /** How the block was written: v2 bound to its comment (or to none yet, comment 0), or the old unbound v1. */
  format: "v1" | "v2";
  /** The v2 block's binding; for a v1 block, revision 0 at no known time. */
  binding: BlockBinding;
}

/** A run whose block is authentic but cannot be trusted as its latest state, and why. */
export interface StaleRun {
  commentId: number;
  runId: string;
  why: string;
  /**
   * The block is older than one Autopack wrote into the comment since: a read that crossed that write
   * (read again), or an earlier block pasted back.
   */
  behind: boolean;
}

export interface RunHistory {
  /** The issue's latest run (the one `/autopack` commands act on). */
  latest: StoredRun | null;
  /** The highest run number among the issue's status comments (see {@link nextRunNumber}). */
  count: number;
  /** Comments that look like status comments but whose state block fails verification. */
  refused: number[];
  /** The latest run, when its block is authentic but not the app's last write of it (`latest` is then null). */
  stale: StaleRun | null;
}

/**
 * How long after the app wrote a block its comment may show a later edit: GitHub's clock against the
 * app's, the request's time on the way, a throttled write. An edit later than that is someone else's.
 */
export const EDIT_WINDOW_MS = 10 * 60_000;

/** The reaction with which the app marks a status comment it writes v2 blocks into (only the app can remove its own). */
export const SEAL: Reaction = "eyes";

/**
 * The revision of each status comment this process last wrote (in memory: a restart forgets it, and
 * the edit window and the seal remain).
 */
/** Revisions shared between processes (on Redis): what another process wrote counts as this one's. */
export interface SharedRevisions {
  recall(commentIds: number[]): Promise<Map<number, number>>;
  note(commentId: number, rev: number): Promise<void>;
}

export class WrittenRevisions {
  readonly #latest = new Map<number, number>();

  constructor(
    private readonly max = 10_000,
    private readonly shared?: SharedRevisions,
  ) {}

  #keep(commentId: number, rev: number): void {
    this.#latest.delete(commentId);
    this.#latest.set(commentId, Math.max(rev, this.#latest.get(commentId) ?? 0));
    for (const id of this.#latest.keys()) {
      if (this.#latest.size <= this.max) break;
      this.#latest.delete(id);
    }
  }

  /** Records a write; shared ones are told too (if they cannot be, this process still knows). */
  async note(commentId: number, rev: number): Promise<void> {
    this.#keep(commentId, rev);
    await this.shared?.note(commentId, rev).catch(() => undefined);
  }

  /** Learns what the other processes wrote of these comments, before they are read. */
  async recall(commentIds: number[]): Promise<void> {
    if (!this.shared || commentIds.length === 0) return;
    const known = await this.shared.recall(commentIds).catch(() => new Map<number, number>());
    for (const [id, rev] of known) this.#keep(id, rev);
  }

  latest(commentId: number): number {
    return this.#latest.get(commentId) ?? 0;
  }
}

/**
 * Why an authentic block is not the app's latest write of its comment, or null when it is. The block
 * is bound to its comment (a copy elsewhere does not verify), so what is left is a block put back into
 * its own comment: a person with write access pasting an earlier block from the comment's history, or
 * a stale write. The app keeps no database; what GitHub shows decides:
 * - a block bound to no comment yet stands only while its comment was never edited (it was created
 *   with it, a moment before the app bound it);
 * - an edit later than `EDIT_WINDOW_MS` after the block's own write time is someone else's;
 * - a block older than the last this process wrote into the comment is stale;
 * - an old v1 block stands only in a comment the app has not sealed (see `SEAL`), and only while no
 *   v2 block of the same run exists; the seal is looked at by the caller (it costs a request).
 */
function whyNotCurrent(comment: IssueComment, found: StoredRun, written: WrittenRevisions | undefined): string | null {
  if (found.format === "v1") return null;
  const { binding } = found;
  if (binding.commentId === 0)
    return comment.updatedAt === comment.createdAt ? null : "it holds a block that was never bound to it, and was edited";
  if (written && binding.rev < written.latest(comment.id))
    return `it holds revision ${binding.rev}, older than revision ${written.latest(comment.id)} that Autopack wrote`;
  // The very block this process wrote last is its latest state, whenever the comment was edited
  // since (a tick in the control panel is an edit of the comment).
  if (written && binding.rev > 0 && binding.rev === written.latest(comment.id)) return null;
  if (Date.parse(comment.updatedAt) > Date.parse(binding.writtenAt) + EDIT_WINDOW_MS) return "it was edited after Autopack last wrote it";
  return null;
}

/**
 * Rebuilds the issue's runs from its comments: a run is a comment written by this app whose state
 * block verifies for this repository, issue and comment. Copies by people or other bots, edited
 * blocks and blocks moved from another comment are refused; an authentic block that is not the app's
 * latest write of its comment makes its run `stale` (see `whyNotCurrent`).
 */
export function readRunHistory(
  comments: IssueComment[],
  isOurs: (c: IssueComment) => boolean,
  key: Buffer,
  repoId: number,
  issue: number,
  written?: WrittenRevisions,
): RunHistory {
  const found: { run: StoredRun; why: string | null }[] = [];
  const refused: number[] = [];
  for (const comment of comments) {
    if (!hasStateBlock(comment.body)) continue;
    if (!isOurs(comment)) {
      refused.push(comment.id);
      continue;
    }
    const decoded = decodeStateBlock(comment.body, key, repoId, issue, comment.id);
    if (!decoded.ok) {
      refused.push(comment.id);
      continue;
    }
    const binding = decoded.format === "v2" ? decoded.binding : { commentId: comment.id, rev: 0, writtenAt: comment.updatedAt };
    const run: StoredRun = { commentId: comment.id, body: comment.body, state: decoded.state, format: decoded.format, binding };
    found.push({ run, why: whyNotCurrent(comment, run, written) });
  }
  const count = Math.max(0, ...found.map((f) => f.run.state.n));
  // The latest run is the highest n; a v2 block of a run outranks a v1 block of the same run.
  const rank = (f: (typeof found)[number]) => f.run.state.n * 2 + (f.run.format === "v2" ? 1 : 0);
  let top: (typeof found)[number] | null = null;
  for (const f of found) if (top === null || rank(f) >= rank(top)) top = f;
  if (top === null) return { latest: null, count, refused, stale: null };
  if (top.why !== null) {
    const { commentId, binding } = top.run;
    const behind = written !== undefined && binding.rev < written.latest(commentId);
    return { latest: null, count, refused, stale: { commentId, runId: top.run.state.run_id, why: top.why, behind } };
  }
  return { latest: top.run, count, refused, stale: null };
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

/**
 * An old v1 block stands only in a comment the app has not sealed: the seal says the app has written
 * a v2 block there, so a v1 block in it was put back by someone. Costs a request, for v1 blocks only.
 */
export async function checkLegacySeal(github: RepoGitHub, history: RunHistory): Promise<RunHistory> {
  const latest = history.latest;
  if (latest === null || latest.format !== "v1" || !(await github.appReacted(latest.commentId, SEAL))) return history;
  return {
    ...history,
    latest: null,
    stale: {
      commentId: latest.commentId,
      runId: latest.state.run_id,
      why: "it holds a block of the old format after Autopack rewrote it",
      behind: false,
    },
  };
}

/**
 * Writes the status comment, its block bound to the comment and numbered one past the stored one:
 * edits the run's comment when the text changed (a v1 or unbound block is always rewritten, and the
 * comment sealed), or posts it the first time, bound to no comment, then binds and seals it.
 * `render` makes the comment's body with a block of that binding.
 */
export async function saveStatus(
  github: RepoGitHub,
  issue: number,
  stored: StoredRun | null,
  render: (binding: BlockBinding) => string,
  written?: WrittenRevisions,
): Promise<number> {
  if (stored === null) {
    const commentId = await github.createComment(issue, render({ commentId: 0, rev: 0, writtenAt: new Date().toISOString() }));
    await bind(github, commentId, 1, render, written, true);
    return commentId;
  }
  const bound = stored.format === "v2" && stored.binding.commentId === stored.commentId;
  if (bound && stored.body === render(stored.binding)) return stored.commentId;
  await bind(github, stored.commentId, stored.binding.rev + 1, render, written, !bound);
  return stored.commentId;
}

async function bind(
  github: RepoGitHub,
  commentId: number,
  rev: number,
  render: (binding: BlockBinding) => string,
  written: WrittenRevisions | undefined,
  seal: boolean,
): Promise<void> {
  await github.updateComment(commentId, render({ commentId, rev, writtenAt: new Date().toISOString() }));
  await written?.note(commentId, rev);
  // After the write: a seal on a comment that still held its old block would refuse the run.
  if (seal) await github.react(commentId, SEAL);
}
