import { ProbotOctokit } from "probot";
import type { GitHubClient } from "../../../src/github/client.js";
import type { GitHubSim } from "./index.js";

/** The app's own kind of client (Probot's Octokit, as an installation) aimed at the simulator; no retries or throttling. */
export function simClient(sim: Pick<GitHubSim, "appId" | "privateKey" | "installationId" | "baseUrl">): GitHubClient {
  return new ProbotOctokit({
    auth: { appId: sim.appId, privateKey: sim.privateKey, installationId: sim.installationId },
    baseUrl: sim.baseUrl,
    retry: { enabled: false },
    throttle: { enabled: false },
  }) as GitHubClient;
}
