import { describe, expect, it } from "vitest";
import { cursorAgentId } from "./agent-id.js";

describe("cursorAgentId", () => {
  it("is the same in every process for a run's phase, and differs for another phase, run or repository", () => {
    const id = cursorAgentId("acme/widgets", "gh-1-2-1", "P1");
    expect(id).toMatch(/^bc-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(cursorAgentId("acme/widgets", "gh-1-2-1", "P1")).toBe(id);
    const others = [
      cursorAgentId("acme/widgets", "gh-1-2-1", "P2"),
      cursorAgentId("acme/widgets", "gh-1-2-2", "P1"),
      cursorAgentId("acme/gadgets", "gh-1-2-1", "P1"),
    ];
    expect(new Set([id, ...others]).size).toBe(4);
  });
});
