import { loadRepoConfig } from "../github/repo-config-file.js";
import type { GitHubClient } from "../github/client.js";
import { issueQueueKey, type AppQueue } from "./jobs.js";
import type { Log } from "./deps.js";

export interface SweepDeps {
  /** App-level client (JWT) with no argument, installation client with one. */
  auth(installationId?: number): Promise<GitHubClient>;
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
  const app = await deps.auth();
  const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
  for (const installation of installations) {
    try {
      const gh = await deps.auth(installation.id);
      const repos = await gh.paginate(gh.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
      for (const repo of repos) {
        const owner = repo.owner.login;
        const config = await loadRepoConfig(gh, owner, repo.name);
        if (!config.ok) continue;
        const issues = await gh.paginate(gh.rest.issues.listForRepo, {
          owner,
          repo: repo.name,
          state: "open",
          labels: config.config.label,
          per_page: 100,
        });
        for (const issue of issues) {
          if (issue.pull_request) continue;
          const target = { installationId: installation.id, owner, repo: repo.name, issue: issue.number };
          await deps.queue.enqueue({
            id: `sweep:${sweepId}:${issueQueueKey(target)}`,
            key: issueQueueKey(target),
            job: { kind: "reconcile", target, reason: "startup sweep" },
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
