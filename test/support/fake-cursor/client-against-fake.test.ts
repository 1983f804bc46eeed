import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCursorApi, type CursorSettings } from "../../../src/cursor/client.js";
import { CursorError } from "../../../src/cursor/errors.js";
import { startGitHubSim, type GitHubSim } from "../github-sim/index.js";
import { startFakeCursor, type FakeCursor } from "./index.js";

/** The app's Cursor client against the fake Cursor API, over loopback: shapes, errors and retries. */

let sim: GitHubSim;
let cursor: FakeCursor;

beforeAll(async () => {
  sim = await startGitHubSim();
  sim.addRepo({ owner: "acme", name: "widgets", files: { "README.md": "# widgets\n" } });
  cursor = await startFakeCursor(sim, "crsr_right_key_0123456789abcdef");
});
afterAll(async () => {
  await cursor.close();
  await sim.close();
});

const api = (settings: Partial<CursorSettings> = {}) =>
  createCursorApi({
    baseUrl: cursor.url,
    apiKey: cursor.apiKey,
    retries: 2,
    minRetryDelayMs: 5,
    maxRetryDelayMs: 1_500,
    follow: { minMs: 5, maxMs: 10, maxWaitMs: 1_000 },
    ...settings,
  });
const launch = (agentId: string) => ({
  agentId,
  prompt: "Add a greeter",
  repository: "https://github.com/acme/widgets",
  startingRef: "main",
  branchName: `autopack/1/${agentId}`,
});
const failure = async (promise: Promise<unknown>): Promise<CursorError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CursorError);
  return error as CursorError;
};

describe("the Cursor client", () => {
  it("launches once per agent id: a second launch answers 409, and the agent is there to follow", async () => {
    cursor.script({ finish: { "a.txt": "a\n" }, tokens: 42 });
    const first = await api().launch(launch("bc-one"));
    expect(first.created).toBe(true);
    expect(await api().launch(launch("bc-one"))).toEqual({ created: false });
    const agent = await api().agent("bc-one");
    expect(agent?.latestRunId).toBe(first.created ? first.run.id : null);
    expect(await api().agent("bc-none")).toBeNull();
  });

  it("reads a run to its end, its tokens, and answers busy to a follow-up while a run goes on", async () => {
    cursor.script({ hang: true });
    const launched = await api().launch(launch("bc-busy"));
    if (!launched.created) throw new Error("not created");
    expect(await api().followUp("bc-busy", "more")).toEqual({ busy: true });
    await api().cancel("bc-busy", launched.run.id);
    expect((await api().run("bc-busy", launched.run.id)).status).toBe("CANCELLED");
    cursor.script({ finish: { "b.txt": "b\n" }, tokens: 7 });
    const next = await api().followUp("bc-busy", "more");
    if (!("run" in next)) throw new Error("busy");
    await api().run("bc-busy", next.run.id);
    expect((await api().run("bc-busy", next.run.id)).status).toBe("FINISHED");
    expect(await api().tokens("bc-busy", next.run.id)).toBe(7);
  });

  it("says a refused key is the key, and never repeats the key", async () => {
    const error = await failure(api({ apiKey: "crsr_wrong_key_0123456789abcdef" }).agent("bc-x"));
    expect([error.kind, error.environment, error.status]).toEqual(["bad-key", true, 401]);
    expect(error.message).toContain("Cursor refused CURSOR_API_KEY");
    expect(error.message).not.toContain("crsr_wrong_key");
  });

  it("says a repository Cursor cannot reach is not connected", async () => {
    cursor.disconnect("acme/gadgets");
    const error = await failure(api().launch({ ...launch("bc-gadgets"), repository: "https://github.com/acme/gadgets" }));
    expect([error.kind, error.environment]).toEqual(["not-connected", true]);
    expect(error.message).toContain("Cursor cannot reach https://github.com/acme/gadgets (403): the repository is not connected to Cursor");
  });

  it("says the account's usage limit is reached", async () => {
    cursor.fault({
      method: "POST",
      path: /^\/v1\/agents$/,
      status: 402,
      body: { error: "usage_limit_exceeded", message: "Monthly spend limit reached" },
    });
    const error = await failure(api().launch(launch("bc-limit")));
    expect([error.kind, error.environment]).toEqual(["usage-limit", true]);
    expect(error.message).toContain("usage or spending limit");
  });

  it("honours Retry-After on 429, and says so when the limit outlasts its retries", async () => {
    cursor.fault({ method: "GET", path: /^\/v1\/agents\/bc-one$/, status: 429, retryAfter: "1", times: 1 });
    expect(await api().agent("bc-one")).not.toBeNull();
    cursor.fault({ method: "GET", path: /^\/v1\/agents\/bc-one$/, status: 429, retryAfter: "0", times: 3 });
    const error = await failure(api().agent("bc-one"));
    expect([error.kind, error.environment, error.status]).toEqual(["rate-limited", false, 429]);
    expect(error.message).toContain("429 (rate limited)");
  });

  it("retries a 5xx, then says the API failed", async () => {
    cursor.fault({ method: "GET", path: /^\/v1\/agents\/bc-one$/, status: 503, times: 1 });
    expect(await api().agent("bc-one")).not.toBeNull();
    cursor.fault({ method: "GET", path: /^\/v1\/agents\/bc-one$/, status: 500, times: 3 });
    const error = await failure(api().agent("bc-one"));
    expect([error.kind, error.environment]).toEqual(["unavailable", false]);
  });

  it("refuses an answer that is not Cursor's shape", async () => {
    cursor.fault({ method: "POST", path: /^\/v1\/agents$/, status: 201, body: { id: "bc-flat" } });
    const error = await failure(api().launch(launch("bc-shape")));
    expect(error.kind).toBe("bad-answer");
  });
});
