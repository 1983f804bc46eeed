import { describe, expect, it } from "vitest";
import type { GitCommitInfo } from "../github/door.js";
import { commitMessage } from "./commit-message.js";
import { commitSeal, commitSealKey, sealedFields, type CommitFields } from "./commit-seal.js";

const KEY = commitSealKey(Buffer.from("state key"));
const FIELDS: CommitFields = {
  runId: "gh-1-7-1",
  phaseId: "P1",
  attempt: 1,
  parentSha: "p".repeat(40),
  treeSha: "t".repeat(40),
  baseSha: null,
};

function commit(fields: CommitFields, seal = commitSeal(KEY, fields), changes: Partial<GitCommitInfo> = {}): GitCommitInfo {
  const message = commitMessage({ ...fields, summary: "Work", seal });
  return { sha: "c".repeat(40), treeSha: fields.treeSha, message, parents: [fields.parentSha], author: null, ...changes };
}

describe("commit seals", () => {
  it("vouch for the commit the app made, and for what it says it is", () => {
    expect(sealedFields(KEY, commit(FIELDS))).toEqual(FIELDS);
    const onBase = { ...FIELDS, baseSha: FIELDS.parentSha };
    expect(sealedFields(KEY, commit(onBase))).toEqual(onBase);
  });

  it("do not verify once copied onto another tree or parent, or under trailers changed to another attempt", () => {
    const made = commit(FIELDS);
    expect(sealedFields(KEY, { ...made, treeSha: "x".repeat(40) })).toBeNull();
    expect(sealedFields(KEY, { ...made, parents: ["x".repeat(40)] })).toBeNull();
    const seal = commitSeal(KEY, FIELDS);
    expect(sealedFields(KEY, commit({ ...FIELDS, attempt: 2 }, seal))).toBeNull();
    expect(sealedFields(KEY, commit({ ...FIELDS, runId: "gh-1-7-2" }, seal))).toBeNull();
    expect(sealedFields(KEY, commit({ ...FIELDS, baseSha: FIELDS.parentSha }, seal))).toBeNull();
  });

  it("are the app's alone: trailers without a seal, a guessed seal or another key's prove nothing", () => {
    expect(sealedFields(KEY, commit(FIELDS, "a".repeat(32)))).toBeNull();
    expect(sealedFields(commitSealKey(Buffer.from("another key")), commit(FIELDS))).toBeNull();
    const unsealed = commit(FIELDS);
    expect(sealedFields(KEY, { ...unsealed, message: unsealed.message.replace(/Autopack-Seal: .*\n/, "") })).toBeNull();
    expect(sealedFields(KEY, { ...commit(FIELDS), parents: [FIELDS.parentSha, "m".repeat(40)] })).toBeNull();
  });
});
