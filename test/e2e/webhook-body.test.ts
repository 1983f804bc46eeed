import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.js";
import { yamlPlan } from "../support/scenario.js";
import { postLarge } from "../support/webhooks.js";
import { startWorld, type World } from "../support/world.js";

let w: World;
let h: Harness;

afterEach(() => w.close());

describe("webhook bodies, before their signature is checked", () => {
  it("refuses a 26 MB chunked delivery with 413 while it streams in; the app reads no more of it and does nothing", async () => {
    w = await startWorld({ hold: true });
    h = w.h;
    const calls = h.calls.all();
    const requests = h.sim.requests.length;
    const answer = await postLarge(h.webhookUrl, 26 * 1024 * 1024);
    expect(answer.status).toBe(413);
    await h.settle();
    expect(h.calls.all()).toEqual(calls);
    expect(h.sim.requests.length).toBe(requests);
    // The next delivery is served as ever.
    const issue = await w.s.label(yamlPlan({ T1: [["P1", "One"]] }));
    expect(w.s.status(issue)).toContain("Autopack run `gh-");
  }, 30_000);
});
