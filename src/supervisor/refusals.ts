import type { IssueKey } from "./jobs.js";

/**
 * What this process remembers about people the permission gate refused, so that a flood of their
 * commands costs next to nothing: a refusal is trusted for a short while (then GitHub is asked again,
 * in case they were given access), and the one reply each of them gets per issue is posted once. In
 * memory only: after a restart the marked reply on the issue is what says they were answered.
 */
export class Refusals {
  readonly #refused = new Map<string, number>();
  readonly #answered = new Set<string>();

  constructor(
    private readonly ttlMs = 2 * 60_000,
    private readonly max = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether GitHub said, a moment ago, that this person may not steer runs in this repository. */
  refused(where: Pick<IssueKey, "owner" | "repo">, login: string): boolean {
    const key = personKey(where, login);
    const until = this.#refused.get(key);
    if (until === undefined) return false;
    if (until > this.clock()) return true;
    this.#refused.delete(key);
    return false;
  }

  noteRefused(where: Pick<IssueKey, "owner" | "repo">, login: string): void {
    const key = personKey(where, login);
    this.#refused.delete(key);
    this.#refused.set(key, this.clock() + this.ttlMs);
    trim(this.#refused, this.max);
  }

  /** Whether this person has had their reply on this issue. */
  answered(where: Pick<IssueKey, "owner" | "repo" | "issue">, login: string): boolean {
    return this.#answered.has(`${personKey(where, login)}#${where.issue}`);
  }

  /** Whether this person is known not to steer: `outsider` (the webhook's word), or refused a moment ago. */
  knownNotToSteer(where: Pick<IssueKey, "owner" | "repo">, login: string, outsider: boolean): boolean {
    return outsider || this.refused(where, login);
  }

  /**
   * Whether a command from this person on this issue goes no further, unread: they are known not to
   * steer and have had their reply here.
   */
  settled(where: Pick<IssueKey, "owner" | "repo" | "issue">, login: string, outsider: boolean): boolean {
    return this.knownNotToSteer(where, login, outsider) && this.answered(where, login);
  }

  noteAnswered(where: Pick<IssueKey, "owner" | "repo" | "issue">, login: string): void {
    this.#answered.add(`${personKey(where, login)}#${where.issue}`);
    trim(this.#answered, this.max);
  }
}

function personKey(where: Pick<IssueKey, "owner" | "repo">, login: string): string {
  return `${where.owner}/${where.repo}@${login}`.toLowerCase();
}

/** Forgets the oldest entries past `max` (maps and sets keep insertion order). */
function trim(entries: Map<string, unknown> | Set<string>, max: number): void {
  for (const key of entries.keys()) {
    if (entries.size <= max) return;
    entries.delete(key);
  }
}
