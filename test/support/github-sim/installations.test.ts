import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simClient, simGitHub } from "./client.js";
import { startGitHubSim, type GitHubSim } from "./index.js";

let sim: GitHubSim;

beforeAll(async () => {
  sim = await startGitHubSim({ perPage: 2 });
  for (const account of ["acme", "globex", "initech"]) {
    for (const name of ["one", "two", "three"]) sim.addRepo({ owner: account, name, files: { "a.txt": "a\n" } });
  }
});

afterAll(async () => {
  sim.assertClean();
  await sim.close();
});

describe("github-sim: one installation per account", () => {
  it("lists every installation over pages with Link headers, the first account's being installationId", async () => {
    const app = simClient(sim, null);
    const first = await app.rest.apps.listInstallations({ per_page: 2 });
    expect(first.headers.link).toContain('rel="next"');
    const all = await app.paginate(app.rest.apps.listInstallations, { per_page: 2 });
    expect(all.map((i) => [i.id, i.account?.login])).toEqual([
      [sim.installationId, "acme"],
      [sim.installationFor("globex"), "globex"],
      [sim.installationFor("initech"), "initech"],
    ]);
    expect(new Set(all.map((i) => i.id)).size).toBe(3);
    const [, globex] = all;
    const one = await app.rest.apps.getRepoInstallation({ owner: "globex", repo: "two" });
    expect(one.data.id).toBe(globex!.id);
  });

  it("gives each installation's token its own repositories, paginated", async () => {
    const globex = await simGitHub(sim).installation(sim.installationFor("globex"));
    expect((await globex.repositories()).map((r) => `${r.owner}/${r.name}`)).toEqual(["globex/one", "globex/two", "globex/three"]);
    const initech = simClient(sim, sim.installationFor("initech"));
    const first = await initech.rest.apps.listReposAccessibleToInstallation({ per_page: 2 });
    expect(first.headers.link).toContain('rel="next"');
    expect(first.data.total_count).toBe(3);
    const all = await initech.paginate(initech.rest.apps.listReposAccessibleToInstallation, { per_page: 2 });
    expect(all.map((r) => r.full_name)).toEqual(["initech/one", "initech/two", "initech/three"]);
  });

  it("refuses a token on another installation's repository with GitHub's 403", async () => {
    const acme = simClient(sim, sim.installationFor("acme"));
    const own = await acme.rest.repos.get({ owner: "acme", repo: "one" });
    expect(own.status).toBe(200);
    const issue = sim.addIssue("initech", "one", { title: "Plan", body: "", user: "initech" });
    const error = await acme.rest.issues
      .createComment({ owner: "initech", repo: "one", issue_number: issue, body: "no" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, response: { data: { message: "Resource not accessible by integration" } } });
    expect(sim.comments("initech", "one", issue)).toEqual([]);
  });

  it("puts the repository's installation in webhook payloads", () => {
    const issue = sim.addIssue("globex", "one", { title: "Plan", body: "", user: "globex", labels: ["autopack"] });
    const event = sim.events.issueLabeled({ owner: "globex", repo: "one", issue, label: "autopack", sender: "globex" });
    expect(event.payload.installation?.id).toBe(sim.installationFor("globex"));
    expect(event.payload.installation?.id).not.toBe(sim.installationId);
  });
});
