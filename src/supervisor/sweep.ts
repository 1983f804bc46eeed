import type { GitHubApp } from "../github/door.js";
import { issueQueueKey, reconcileTag, type AppQueue } from "./jobs.js";
import type { Log } from "./deps.js";

export interface SweepDeps {
  github: GitHubApp;
  queue: AppQueue;
  log: Log;
}

/**
 * The startup sweep: a restarted process has lost its in-memory queue and timers, so every open
 * issue carrying a repository's trigger label gets a reconcile. Runs rebuild their state from their
 * status comments; issues without a run are left alone. Best effort: a failing installation or
 * repository is logged and skipped.
 */
export async function sweepOpenRuns(deps: SweepDeps, sweepId: string): Promise<number> {
  let queued = 0;
  const installations = await deps.github.installations();
  for (const installation of installations) {
    try {
      const reach = await deps.github.installation(installation.id);
      for (const { owner, name } of await reach.repositories()) {
        const github = reach.repo(owner, name);
        const config = await github.config();
        if (!config.ok) continue;
        for (const issue of await github.openIssuesWithLabel(config.config.label)) {
          const target = { installationId: installation.id, owner, repo: name, issue };
          await deps.queue.enqueue({
            id: `sweep:${sweepId}:${issueQueueKey(target)}`,
            key: issueQueueKey(target),
            job: { kind: "reconcile", target, reason: "startup sweep" },
            coalesce: reconcileTag(target),
          });
          queued++;
        }
      }
    } catch (error) {
      deps.log.warn(
        { installation: installation.id, err: error instanceof Error ? error.message : String(error) },
        "startup sweep skipped an installation",
      );
    }
  }
  deps.log.info({ queued }, "startup sweep done");
  return queued;
}
