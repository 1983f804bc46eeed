import { describe, expect, it } from "vitest";
import type { IssueComment, RepoGitHub } from "../github/door.js";
import type { Plan } from "../plan/schema.js";
import { EDIT_WINDOW_MS, readRunHistory, saveStatus, SEAL, WrittenRevisions, type StoredRun } from "./run-store.js";
import { newRunState } from "./start-run.js";
import { encodeStateBlock, encodeV1StateBlock, stateKey, type BlockBinding } from "./state-codec.js";

const plan: Plan = {
  run: { safety_profile: "normal", run_scope: "multi_tier", token_cap: 5_000_000, max_phases: 25, max_duration_minutes: 120 },
  tiers: [{ tier_id: "T1", tier_index: 0, name: "One", description: "" }],
  phases: [{ phase_id: "P1", phase_index: 0, tier_id: "T1", name: "First", description: "", scope: [], acceptance: [] }],
};
const key = stateKey("secret");
const T = "2026-01-01T00:00:00.000Z";
const run = (n = 1) => newRunState({ plan, repoId: 42, issue: 7, n, startedBy: "alice", now: new Date(T) });
const later = (ms: number) => new Date(Date.parse(T) + ms).toISOString();
const ours = () => true;

function comment(id: number, body: string, updatedAt = T, createdAt = T): IssueComment {
  return { id, body, userLogin: "autopack[bot]", userType: "Bot", appId: 1, createdAt, updatedAt };
}
const block = (binding: Partial<BlockBinding> & { commentId: number }, n = 1) =>
  encodeStateBlock(run(n), key, { rev: 1, writtenAt: T, ...binding });

describe("a run's history, from its comments", () => {
  it("takes a block bound to its comment and written at its last edit", () => {
    const history = readRunHistory([comment(10, block({ commentId: 10 }), later(60_000))], ours, key, 42, 7);
    expect(history.latest?.commentId).toBe(10);
    expect(history.stale).toBeNull();
  });

  it("refuses a comment edited later than the edit window after its block was written, but counts its run", () => {
    const history = readRunHistory([comment(10, block({ commentId: 10 }), later(EDIT_WINDOW_MS + 1_000))], ours, key, 42, 7);
    expect(history.latest).toBeNull();
    expect(history.count).toBe(1);
    expect(history.stale).toEqual({ commentId: 10, runId: "gh-42-7-1", why: "it was edited after Autopack last wrote it", behind: false });
  });

  it("refuses a revision older than the last this process wrote into the comment", () => {
    const written = new WrittenRevisions();
    written.note(10, 5);
    const history = readRunHistory([comment(10, block({ commentId: 10, rev: 4 }))], ours, key, 42, 7, written);
    expect(history.stale).toMatchObject({ why: "it holds revision 4, older than revision 5 that Autopack wrote", behind: true });
  });

  it("takes the block this process wrote last whenever its comment was edited (a tick in the control panel)", () => {
    const written = new WrittenRevisions();
    written.note(10, 4);
    const edited = comment(10, block({ commentId: 10, rev: 4 }), later(EDIT_WINDOW_MS + 60_000));
    expect(readRunHistory([edited], ours, key, 42, 7, written).latest?.binding.rev).toBe(4);
    // Another process (or this one after a restart) has only the edit window to go by.
    expect(readRunHistory([edited], ours, key, 42, 7, new WrittenRevisions()).stale?.why).toBe(
      "it was edited after Autopack last wrote it",
    );
  });

  it("takes a block bound to no comment yet only in a comment never edited", () => {
    const unbound = block({ commentId: 0, rev: 0 });
    expect(readRunHistory([comment(10, unbound)], ours, key, 42, 7).latest?.binding.commentId).toBe(0);
    const edited = readRunHistory([comment(10, unbound, later(1_000))], ours, key, 42, 7);
    expect(edited.latest).toBeNull();
    expect(edited.stale?.why).toBe("it holds a block that was never bound to it, and was edited");
  });

  it("refuses a block moved from another comment, and prefers a run's v2 block to a v1 copy of it", () => {
    const moved = readRunHistory([comment(11, block({ commentId: 10 }))], ours, key, 42, 7);
    expect(moved).toMatchObject({ latest: null, refused: [11], count: 0 });
    const both = readRunHistory([comment(10, block({ commentId: 10 })), comment(12, encodeV1StateBlock(run(), key))], ours, key, 42, 7);
    expect(both.latest).toMatchObject({ commentId: 10, format: "v2" });
  });
});

describe("saving the status comment", () => {
  function door() {
    const calls: string[] = [];
    const github = {
      createComment: async () => {
        calls.push("create");
        return 99;
      },
      updateComment: async (id: number, body: string) => void calls.push(`update ${id} ${/rev (\d+)/.exec(body)?.[1]}`),
      react: async (id: number, reaction: string) => void calls.push(`react ${id} ${reaction}`),
    } as unknown as RepoGitHub;
    return { github, calls };
  }
  const render = (b: BlockBinding) => `status rev ${b.rev} of ${b.commentId}`;

  it("posts a new comment, then binds it and seals it", async () => {
    const { github, calls } = door();
    const written = new WrittenRevisions();
    expect(await saveStatus(github, 7, null, render, written)).toBe(99);
    expect(calls).toEqual(["create", "update 99 1", `react 99 ${SEAL}`]);
    expect(written.latest(99)).toBe(1);
  });

  it("writes nothing when nothing changed, the next revision when it did, and seals a v1 comment it rewrites", async () => {
    const stored = (format: "v1" | "v2", rev: number): StoredRun => ({
      commentId: 10,
      body: render({ commentId: 10, rev, writtenAt: T }),
      state: run(),
      format,
      binding: { commentId: 10, rev, writtenAt: T },
    });
    const same = door();
    await saveStatus(same.github, 7, stored("v2", 3), render);
    expect(same.calls).toEqual([]);
    const changed = door();
    await saveStatus(changed.github, 7, stored("v2", 3), (b) => `${render(b)} and more`);
    expect(changed.calls).toEqual(["update 10 4"]);
    const legacy = door();
    await saveStatus(legacy.github, 7, stored("v1", 0), render);
    expect(legacy.calls).toEqual(["update 10 1", `react 10 ${SEAL}`]);
  });
});
