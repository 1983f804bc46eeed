import { ProbotOctokit } from "probot";
import type { GitHubClient } from "../../../src/github/client.js";
import type { GitHubApp, RepoGitHub } from "../../../src/github/door.js";
import type { GitHubMeter } from "../../../src/github/meter.js";
import { octokitGitHub } from "../../../src/github/octokit-door.js";
import type { GitHubSim } from "./index.js";

type SimAuth = Pick<GitHubSim, "appId" | "privateKey" | "installationId" | "baseUrl">;

/** The app's own kind of client (Probot's Octokit, as an installation) aimed at the simulator; no retries or throttling. */
export function simClient(sim: SimAuth, installationId: number | null = sim.installationId): GitHubClient {
  return new ProbotOctokit({
    auth: { appId: sim.appId, privateKey: sim.privateKey, ...(installationId !== null ? { installationId } : {}) },
    baseUrl: sim.baseUrl,
    retry: { enabled: false },
    throttle: { enabled: false },
  }) as GitHubClient;
}

/** The app's door to GitHub (as the app runs it, over Probot's Octokit) aimed at the simulator. */
export function simGitHub(sim: SimAuth, meter?: GitHubMeter): GitHubApp {
  return octokitGitHub(async (installationId) => simClient(sim, installationId ?? null), meter ? { meter } : {});
}

/** One repository of the simulator through the door, as the app's installation. */
export async function simRepo(sim: SimAuth, owner: string, name: string): Promise<RepoGitHub> {
  return (await simGitHub(sim).installation(sim.installationId)).repo(owner, name);
}
