/**
 * CONTRIBUTING.md draws the run's and the phase's state machines (Mermaid), README.md the run's. The drawings are the
 * tables of src/supervisor/transitions.ts: every arrow is a move the table holds, labelled with its
 * reasons, and every move of the table is drawn.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PHASE_TRANSITIONS, RUN_TRANSITIONS, type Transition } from "../../src/supervisor/transitions.js";

const contributing = readFileSync(new URL("../../CONTRIBUTING.md", import.meta.url), "utf8");
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** The arrows of a table, `from --> to: why, why`, one per pair of states, in a stable order. */
function arrows(table: readonly Transition<string, string>[]): string[] {
  const labels = new Map<string, string[]>();
  for (const t of table) {
    for (const from of t.from) {
      const key = `${from} --> ${t.to}`;
      labels.set(key, [...(labels.get(key) ?? []), t.why]);
    }
  }
  return [...labels].map(([edge, why]) => `${edge}: ${why.join(", ")}`).sort();
}

/** The arrows of the Mermaid block that starts with `%% <title>`. */
function drawn(title: string, doc = contributing): string[] {
  const block = [...doc.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes(`%% ${title}`));
  expect(block, `a mermaid block titled "%% ${title}"`).toBeDefined();
  return block!
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^\w+ --> \w+:/.test(l))
    .sort();
}

describe("the state diagrams in CONTRIBUTING.md", () => {
  it("draw exactly the phase table", () => {
    expect(drawn("phase steps"), `expected:\n${arrows(PHASE_TRANSITIONS).join("\n")}`).toEqual(arrows(PHASE_TRANSITIONS));
  });

  it("draw exactly the run table", () => {
    expect(drawn("run states"), `expected:\n${arrows(RUN_TRANSITIONS).join("\n")}`).toEqual(arrows(RUN_TRANSITIONS));
  });
});

describe("the run's state diagram in README.md", () => {
  it("draws exactly the run table", () => {
    expect(drawn("run states", readme), `expected:\n${arrows(RUN_TRANSITIONS).join("\n")}`).toEqual(arrows(RUN_TRANSITIONS));
  });
});
