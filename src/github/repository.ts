import type { GitHubClient, RepoName } from "./client.js";
import type { CollaboratorPermission, RepositoryInfo } from "./door.js";
import { httpStatus } from "./errors.js";

export async function getRepository(gh: GitHubClient, repo: RepoName): Promise<RepositoryInfo> {
  const { data } = await gh.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  return { owner: repo.owner, repo: repo.repo, id: data.id, defaultBranch: data.default_branch, htmlUrl: data.html_url };
}

/** A person's access as GitHub states it, or null when GitHub answers 404 (not a collaborator, or no such user). */
export async function getCollaboratorPermission(gh: GitHubClient, repo: RepoName, login: string): Promise<CollaboratorPermission | null> {
  try {
    const { data } = await gh.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.repo, username: login });
    return { permission: data.permission ?? null, roleName: (data as { role_name?: string }).role_name ?? null };
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}
