import { notFound } from "../http-error.js";
import { created, ok } from "../router.js";
import { appShape, repoShape, userShape } from "../shapes.js";
/** What the app was granted: no `workflows`, as Autopack's app is registered. */
export const INSTALLATION_PERMISSIONS = {
  checks: "write",
  contents: "write",
  issues: "write",
  metadata: "read",
  pull_requests: "write",
  statuses: "read",
};
export function installationShape(s, account) {
  const owner = s.ensureUser(account);
  return {
    id: s.installationId,
    account: userShape(s, account),
    repository_selection: "all",
    access_tokens_url: `${s.baseUrl}/app/installations/${s.installationId}/access_tokens`,
    repositories_url: `${s.baseUrl}/installation/repositories`,
    html_url: `${s.origin}/settings/installations/${s.installationId}`,
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
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}
function accountOf(s) {
  return [...s.repos.values()][0]?.owner ?? s.app.owner;
}
export function appRoutes(router, auth) {
  router
    .add("GET /app", ({ s }) => ok({ ...appShape(s, s.app), installations_count: 1 }), "jwt")
    .add("GET /app/installations", ({ s, page }) => ok(page([installationShape(s, accountOf(s))])), "jwt")
    .add(
      "GET /app/installations/:installation_id",
      ({ s, params }) => {
        if (Number(params.installation_id) !== s.installationId) throw notFound();
        return ok(installationShape(s, accountOf(s)));
      },
      "jwt",
    )
    .add(
      "POST /app/installations/:installation_id/access_tokens",
      ({ s, params }) => {
        if (Number(params.installation_id) !== s.installationId) throw notFound();
        const token = auth.issue(s.installationId);
        return created({
          token: token.token,
          expires_at: new Date(token.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
          permissions: INSTALLATION_PERMISSIONS,
          repository_selection: "all",
        });
      },
      "jwt",
    )
    .add("GET /repos/:owner/:repo/installation", (ctx) => ok(installationShape(ctx.s, ctx.repo().owner)), "jwt")
    .add("GET /installation/repositories", ({ s, page }) => {
      const repos = [...s.repos.values()];
      return ok({ total_count: repos.length, repository_selection: "all", repositories: page(repos).map((r) => repoShape(s, r)) });
    });
}
//# sourceMappingURL=app.js.map
