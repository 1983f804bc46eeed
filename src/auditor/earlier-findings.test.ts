import { describe, expect, it } from "vitest";
import { earlierFindingAttempts } from "./earlier-findings.js";
import { makeFinding } from "./finding-key.js";
import { auditMarker, findingMarker } from "./markers.js";

const sha = "abcdef0123456789abcdef0123456789abcdef01";
const review = (id: number, runId: string, phaseId: string, attempt: number, keys: string[] = []) => ({
  id,
  commitId: sha,
  body: [auditMarker({ runId, phaseId, attempt, sha }), ...keys.map((k) => `- item ${findingMarker(k)}`)].join("\n"),
});

describe("earlierFindingAttempts", () => {
  it("reads the first attempt of each key from the app's reviews and inline comments of this run's phase", () => {
    const previous = makeFinding({
      path: "a.ts",
      line: 1,
      severity: "major",
      category: "bug",
      message: "x",
      suggestion: null,
      source: "model",
    });
    const map = earlierFindingAttempts({
      runId: "gh-1-2-1",
      phaseId: "P1",
      attempt: 3,
      previousFindings: [previous],
      reviews: [
        review(10, "gh-1-2-1", "P1", 1, ["aaaaaaaaaaaaaaaa"]),
        review(11, "gh-1-2-1", "P1", 2, ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]),
        review(12, "gh-1-2-1", "P2", 1, ["cccccccccccccccc"]),
        review(13, "gh-1-2-0", "P1", 1, ["dddddddddddddddd"]),
        review(14, "gh-1-2-1", "P1", 3, ["eeeeeeeeeeeeeeee"]),
      ],
      comments: [
        { id: 1, reviewId: 11, path: "a.ts", line: 1, body: `text ${findingMarker("ffffffffffffffff")}` },
        { id: 2, reviewId: 12, path: "a.ts", line: 1, body: `text ${findingMarker("1111111111111111")}` },
      ],
    });
    expect(Object.fromEntries(map)).toEqual({
      aaaaaaaaaaaaaaaa: 1,
      bbbbbbbbbbbbbbbb: 2,
      ffffffffffffffff: 2,
      [previous.key]: null,
    });
  });
});
