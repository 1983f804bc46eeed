import { describe, expect, it } from "vitest";
import type { IssueComment } from "../github/door.js";
import { commentFilter } from "./deps.js";

const comment = (over: Partial<IssueComment>): IssueComment => ({
  id: 1,
  body: "",
  userLogin: "autopack[bot]",
  userType: "Bot",
  appId: 42,
  createdAt: "",
  updatedAt: "",
  ...over,
});

describe("commentFilter", () => {
  const ours = commentFilter(42, "autopack[bot]");

  it("accepts this app's comments", () => {
    expect(ours(comment({}))).toBe(true);
    // Some API hosts leave performed_via_github_app out: the bot user then identifies the app.
    expect(ours(comment({ appId: null }))).toBe(true);
  });

  it("refuses people, other apps and look-alikes", () => {
    expect(ours(comment({ userType: "User", userLogin: "mallory" }))).toBe(false);
    expect(ours(comment({ userType: "User", userLogin: "autopack[bot]", appId: null }))).toBe(false);
    expect(ours(comment({ appId: 7, userLogin: "other[bot]" }))).toBe(false);
    expect(ours(comment({ appId: null, userLogin: "other[bot]" }))).toBe(false);
    expect(commentFilter(42, null)(comment({ appId: null }))).toBe(false);
  });
});
