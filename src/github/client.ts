import type { ProbotOctokit } from "probot";

/**
 * An installation-authenticated Octokit (Probot's, with retry and throttling). Internal to
 * `src/github/`: everything else reaches GitHub through the door (`door.ts`).
 */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;

/** The repository a request is about. */
export interface RepoName {
  owner: string;
  repo: string;
}
