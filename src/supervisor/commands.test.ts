import { describe, expect, it } from "vitest";
import { parseCommand } from "./commands.js";

describe("parseCommand", () => {
  it.each([
    ["/autopack retry", { name: "retry", phases: [] }],
    ["/autopack retry P2 P3", { name: "retry", phases: ["P2", "P3"] }],
    ["please look\n/autopack status\nthanks", { name: "status" }],
    ["/autopack cancel", { name: "cancel" }],
    ["/autopack help", { name: "help" }],
    ["/autopack", { name: "help" }],
    ["/autopack RETRY P1", { name: "retry", phases: ["P1"] }],
    ["/autopack skip P2", { name: "skip", phase: "P2" }],
    ["/autopack plan", { name: "plan" }],
    ["/autopack approve", { name: "approve" }],
  ])("reads %j", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it.each([
    ["> /autopack retry", "a quoted command"],
    ["```\n/autopack retry\n```", "a command in a fenced block"],
    ["    /autopack retry", "a command in an indented code block"],
    ["run `/autopack retry` later", "inline code"],
    ["no command here", "plain text"],
    ["/autopackretry", "a glued word"],
  ])("ignores %j (%s)", (body) => {
    expect(parseCommand(body)).toBeNull();
  });

  it("refuses arguments outside the fixed syntax", () => {
    expect(parseCommand("/autopack retry P1 --model gpt-5")).toEqual({ name: "unknown", text: "/autopack retry P1 --model gpt-5" });
    expect(parseCommand("/autopack set token_cap 99999999")).toMatchObject({ name: "unknown" });
    expect(parseCommand("/autopack status now")).toMatchObject({ name: "unknown" });
    expect(parseCommand("/autopack skip")).toMatchObject({ name: "unknown" });
    expect(parseCommand("/autopack skip P1 P2")).toMatchObject({ name: "unknown" });
    expect(parseCommand("/autopack plan with more tiers")).toMatchObject({ name: "unknown" });
  });
});
