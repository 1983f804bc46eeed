import { describe, expect, it } from "vitest";
import { readEditPlan } from "./edit-reading.js";

const plan = (...edits: unknown[]) => ({ summary: "s", edits });
const R = [{ search: "a", replace: "b" }];

describe("reading an edit plan as meant", () => {
  it.each([
    [
      "a create with an empty replacements list",
      { path: "a.ts", action: "create", content: "x\n", replacements: [] },
      { path: "a.ts", action: "create", content: "x\n", replacements: null },
      'edit 1 (create a.ts): took "content" and set aside the empty "replacements" list',
    ],
    [
      "an update with content and an empty replacements list",
      { path: "a.ts", action: "update", content: "whole\n", replacements: [] },
      { path: "a.ts", action: "update", content: "whole\n", replacements: null },
      'edit 1 (update a.ts): took "content" as the whole new text and set aside the empty "replacements" list',
    ],
    [
      "an update with replacements and an empty content",
      { path: "a.ts", action: "update", content: "", replacements: R },
      { path: "a.ts", action: "update", content: null, replacements: R },
      'edit 1 (update a.ts): took "replacements" and set aside the empty "content"',
    ],
    [
      "a delete with content and replacements",
      { path: "a.ts", action: "delete", content: "old\n", replacements: R },
      { path: "a.ts", action: "delete", content: null, replacements: null },
      'edit 1 (delete a.ts): set aside the "content" given with a delete; set aside the "replacements" given with a delete',
    ],
    [
      "an action in capitals, with spaces",
      { path: "a.ts", action: " Delete", content: null, replacements: null },
      { path: "a.ts", action: "delete", content: null, replacements: null },
      'edit 1 (delete a.ts): read the action " Delete" as "delete"',
    ],
  ])("takes %s, with a note", (_what, edit, taken, note) => {
    const read = readEditPlan(plan(edit));
    expect(read.problems).toEqual([]);
    expect(read.value).toEqual(plan(taken));
    expect(read.notes).toEqual([note]);
  });

  it("fills missing fields with null, without a note", () => {
    const read = readEditPlan(plan({ path: "a.ts", action: "create", content: "x" }, { path: "b.ts", action: "delete" }));
    expect(read.value).toEqual(
      plan(
        { path: "a.ts", action: "create", content: "x", replacements: null },
        { path: "b.ts", action: "delete", content: null, replacements: null },
      ),
    );
    expect(read.kinds).toEqual(["create", "delete"]);
    expect(read.notes).toEqual([]);
  });

  it("tells a replacement update from a whole rewrite", () => {
    const read = readEditPlan(
      plan(
        { path: "a.ts", action: "update", content: null, replacements: R },
        { path: "b.ts", action: "update", content: "", replacements: null },
      ),
    );
    expect(read.kinds).toEqual(["replace", "rewrite"]);
    expect(read.problems).toEqual([]);
  });

  it.each([
    ["an update with neither", { path: "a.ts", action: "update", content: null, replacements: [] }, [], /this one has neither/],
    ["an update with both", { path: "a.ts", action: "update", content: "x", replacements: R }, [], /not both; this one has both/],
    ["a create with replacements", { path: "a.ts", action: "create", content: "x", replacements: R }, [], /as well as content/],
    ["a create with no content", { path: "a.ts", action: "create", content: null, replacements: null }, [], /needs "content"/],
    ["an unknown action", { path: "a.ts", action: "rename", content: null, replacements: null }, ["action"], /must be "create", "update"/],
    ["an edit that is not an object", "a.ts", [], /must be an object/],
  ])("refuses %s, saying where and why", (_what, edit, at, message) => {
    const read = readEditPlan(plan({ path: "ok.ts", action: "delete" }, edit));
    expect(read.kinds).toEqual(["delete", null]);
    expect(read.problems).toEqual([{ path: ["edits", 1, ...at], message: expect.stringMatching(message) }]);
  });

  it("leaves what is not a plan to the schema", () => {
    expect(readEditPlan("nope")).toEqual({ value: "nope", kinds: [], notes: [], problems: [] });
    expect(readEditPlan({ summary: "s" }).value).toEqual({ summary: "s" });
  });
});
