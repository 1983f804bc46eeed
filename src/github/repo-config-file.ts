import { createHash } from "node:crypto";
import type { GitHubClient } from "./client.js";
import { httpStatus } from "./errors.js";
import { parseRepoConfig, type RepoConfigResult } from "../config/repo-config.js";

export const CONFIG_PATH = ".github/autopack.yml";

/**
 * Which version of `.github/autopack.yml` the branch holds: the commits that changed the file, from
 * one listing. A commit that leaves the file alone does not change the listing, so asking again after
 * the branch moved is answered `304 Not Modified` and costs nothing. Null when it cannot tell (an
 * empty repository, a branch that is gone).
 */
export async function configVersion(gh: GitHubClient, owner: string, repo: string, branch: string): Promise<string | null> {
  try {
    const { data } = await gh.rest.repos.listCommits({ owner, repo, sha: branch, path: CONFIG_PATH, per_page: 100 });
    return createHash("sha256")
      .update(data.map((c) => c.sha).join(" "))
      .digest("hex");
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404 || status === 409) return null;
    throw error;
  }
}

/**
 * Reads `.github/autopack.yml` from the default branch (never from a PR branch), with `_extends` and
 * the organisation's `.github` repository as fallback, through Probot's config plugin, then
 * validates it. A file that is not YAML is reported like any other invalid configuration.
 */
export async function loadRepoConfig(gh: GitHubClient, owner: string, repo: string): Promise<RepoConfigResult> {
  let raw: unknown;
  try {
    const { config, files } = await gh.config.get({ owner, repo, path: CONFIG_PATH });
    raw = files.some((f) => f.config !== null) ? config : null;
  } catch (error) {
    // The plugin's message names the API URL it read; people know the file by its path.
    const message = (error instanceof Error ? error.message : String(error))
      .replace(/^\[@probot\/octokit-plugin-config\]\s*/, "")
      .replace(/\bhttps?:\/\/\S+/g, (url) =>
        url.includes("/contents/") ? `\`${decodeURIComponent(url.split("/contents/")[1] ?? CONFIG_PATH)}\`` : "the configuration",
      );
    if (/could not be parsed|not an object|directory or a submodule/.test(message)) return { ok: false, problems: [message] };
    throw error;
  }
  if (raw !== null && typeof raw === "object" && "_extends" in raw) {
    const { _extends: _ignored, ...rest } = raw as Record<string, unknown>;
    raw = rest;
  }
  return parseRepoConfig(raw);
}
