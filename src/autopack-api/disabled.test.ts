import { afterEach, describe, expect, it, vi } from "vitest";
import { createDisabledAutopackApi } from "./disabled.js";

afterEach(() => vi.restoreAllMocks());

describe("createDisabledAutopackApi", () => {
  it("answers every call at once without any request", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const api = createDisabledAutopackApi();
    const body = { run: { run_id: "r" }, tiers: [], phases: [] };
    await expect(api.send({ op: "start", runId: "r", body })).resolves.toEqual({ ok: true, status: 0, response: null });
    await expect(api.runSummary("r")).resolves.toBeNull();
    await expect(api.health()).resolves.toBe(false);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
