import { describe, expect, it } from "vitest";
import type { LabelEvent } from "../github/door.js";
import { nextRunNumber } from "./run-store.js";

const labelled = (login: string, type = "User", event: LabelEvent["event"] = "labeled"): LabelEvent => ({
  event,
  label: "autopack",
  actor: { login, type },
  createdAt: "2025-01-01T00:00:00Z",
});

describe("nextRunNumber", () => {
  it("is at least the number of times people added a label, so a deleted status comment cannot bring a number back", () => {
    const events = [labelled("maintainer"), labelled("maintainer", "User", "unlabeled"), labelled("maintainer")];
    // Run 1 started from the first label; its status comment is gone.
    expect(nextRunNumber({ count: 0 }, events)).toBe(2);
  });

  it("counts people only: the app's own labels and other bots' do not start runs", () => {
    const events = [labelled("maintainer"), labelled("autopack[bot]", "Bot"), labelled("helper", "Bot"), { ...labelled("x"), actor: null }];
    expect(nextRunNumber({ count: 0 }, events)).toBe(1);
  });

  it("stays above every run the status comments show", () => {
    expect(nextRunNumber({ count: 4 }, [labelled("maintainer")])).toBe(5);
    expect(nextRunNumber({ count: 0 }, [])).toBe(1);
  });
});
