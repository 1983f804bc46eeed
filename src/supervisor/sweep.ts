import type { GitHubApp, InstallationGitHub } from "../github/door.js";
import { issueQueueKey, reconcileTag, type AppQueue } from "./jobs.js";
import type { Log } from "./deps.js";

export interface SweepDeps {
  github: GitHubApp;
  queue: AppQueue;
  log: Log;
  /** Installations looked at at once; each is looked at one request at a time (default 4). */
  concurrency?: number;
}

/** Installations swept at once: with one request at a time in each, at most this many GitHub calls are in flight. */
export const SWEEP_CONCURRENCY = 4;

/**
 * The startup sweep: a restarted process has lost its in-memory queue and timers (or Redis lost its
 * jobs), so every open issue carrying a repository's trigger label gets a reconcile. Runs rebuild
 * their state from their status comments; issues without a run are left alone. Every list is read
 * through all its pages; installations are swept a few at a time, each one request at a time, so a
 * large account sends no storm of requests. Best effort: a failing installation or repository is
 * logged and skipped.
 */
export async function sweepOpenRuns(deps: SweepDeps, sweepId: string): Promise<number> {
  let queued = 0;
  const installations = await deps.github.installations();
  await eachBounded(installations, deps.concurrency ?? SWEEP_CONCURRENCY, async ({ id }) => {
    let reach: InstallationGitHub;
    let repositories: { owner: string; name: string }[];
    try {
      reach = await deps.github.installation(id);
      repositories = await reach.repositories();
    } catch (error) {
      deps.log.warn({ installation: id, err: message(error) }, "startup sweep skipped an installation");
      return;
    }
    for (const { owner, name } of repositories) {
      try {
        const github = reach.repo(owner, name);
        const config = await github.config();
        if (!config.ok) continue;
        for (const issue of await github.openIssuesWithLabel(config.config.label)) {
          const target = { installationId: id, owner, repo: name, issue };
          await deps.queue.enqueue({
            id: `sweep:${sweepId}:${issueQueueKey(target)}`,
            key: issueQueueKey(target),
            job: { kind: "reconcile", target, reason: "startup sweep" },
            coalesce: reconcileTag(target),
          });
          queued++;
        }
      } catch (error) {
        deps.log.warn({ installation: id, repository: `${owner}/${name}`, err: message(error) }, "startup sweep skipped a repository");
      }
    }
  });
  deps.log.info({ installations: installations.length, queued }, "startup sweep done");
  return queued;
}

/** Runs `work` on every item, at most `limit` at once, in the items' order. */
async function eachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
