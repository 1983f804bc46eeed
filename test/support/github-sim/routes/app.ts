import { notFound } from "../http-error.js";
import { created, ok, type Router } from "../router.js";
import { appShape, repoShape, userShape } from "../shapes.js";
import type { SimState } from "../state.js";
import type { AppAuth } from "../auth.js";

/** What the app was granted: no `workflows`, as Autopack's app is registered. */
export const INSTALLATION_PERMISSIONS = {
  checks: "write",
  contents: "write",
  issues: "write",
  metadata: "read",
  pull_requests: "write",
  statuses: "read",
};

export function installationShape(s: SimState, installation: { id: number; account: string }) {
  const owner = s.ensureUser(installation.account);
  return {
    id: installation.id,
    account: userShape(s, installation.account),
    repository_selection: "all",
    access_tokens_url: `${s.baseUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${s.baseUrl}/installation/repositories`,
    html_url: `${s.origin}/settings/installations/${installation.id}`,
    app_id: s.app.id,
    app_slug: s.app.slug,
    target_id: owner.id,
    target_type: owner.type === "Organization" ? "Organization" : "User",
    permissions: INSTALLATION_PERMISSIONS,
    events: appShape(s, s.app).events,
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [] as string[],
    suspended_by: null,
    suspended_at: null,
  };
}

/** Every installation; before any repository exists, the one on the app owner's account. */
function installationsOf(s: SimState): { id: number; account: string }[] {
  return s.installations.length > 0 ? s.installations : [{ id: s.installationId, account: s.app.owner }];
}

function installationById(s: SimState, id: string): { id: number; account: string } {
  const found = installationsOf(s).find((i) => i.id === Number(id));
  if (!found) throw notFound();
  return found;
}

export function appRoutes(router: Router, auth: AppAuth): void {
  router
    .add("GET /app", ({ s }) => ok({ ...appShape(s, s.app), installations_count: installationsOf(s).length }), "jwt")
    .add("GET /app/installations", ({ s, page }) => ok(page(installationsOf(s)).map((i) => installationShape(s, i))), "jwt")
    .add(
      "GET /app/installations/:installation_id",
      ({ s, params }) => ok(installationShape(s, installationById(s, params.installation_id!))),
      "jwt",
    )
    .add(
      "POST /app/installations/:installation_id/access_tokens",
      ({ s, params }) => {
        const token = auth.issue(installationById(s, params.installation_id!).id);
        return created({
          token: token.token,
          expires_at: new Date(token.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
          permissions: INSTALLATION_PERMISSIONS,
          repository_selection: "all",
        });
      },
      "jwt",
    )
    .add("GET /repos/:owner/:repo/installation", (ctx) => ok(installationShape(ctx.s, ctx.s.installationOn(ctx.repo().owner))), "jwt")
    .add("GET /installation/repositories", ({ s, page, installationId }) => {
      const repos = [...s.repos.values()].filter((r) => s.installationOn(r.owner).id === installationId);
      return ok({ total_count: repos.length, repository_selection: "all", repositories: page(repos).map((r) => repoShape(s, r)) });
    });
}
