import { describe, expect, it } from "vitest";
import { globProblem } from "./glob.js";
import { ALWAYS_DENIED, checkPath, DEFAULT_DENIED_PATHS, normaliseRepoPath } from "./path-policy.js";

const policy = { deniedPaths: DEFAULT_DENIED_PATHS, scope: [], scopeStrict: false };

describe("path policy", () => {
  it.each(["src/a.ts", "./src/a.ts", "src//a.ts", "docs/README.md", ".github/ISSUE_TEMPLATE/bug.md"])("allows %j", (path) => {
    expect(checkPath(path, policy).ok).toBe(true);
  });

  it.each([
    ".github/workflows/ci.yml",
    ".GITHUB/Workflows/ci.yml",
    ".git/config",
    ".GIT/config",
    "a/.Git/hooks/pre-commit",
    ".git./config",
    "git~1/config",
    ".g\u200Cit/config",
    ".gitmodules",
    ".github/autopack.yml",
    ".env",
    ".ENV",
    "config/.env.production",
    "deploy/KEY.PEM",
    "x/.NPMRC",
    "CODEOWNERS",
    ".github/actions/setup/action.yml",
    "../outside",
    "/etc/passwd",
    "C:/x",
    "a\\b",
    "",
  ])("refuses %j", (path) => {
    expect(checkPath(path, policy).ok).toBe(false);
  });

  it("keeps strict scope", () => {
    const strict = { ...policy, scope: ["src/**"], scopeStrict: true };
    expect(checkPath("src/a.ts", strict).ok).toBe(true);
    expect(checkPath("lib/a.ts", strict)).toMatchObject({ ok: false, reason: expect.stringContaining("outside the phase scope") });
  });

  it("protects CI definitions, the actions they run and CODEOWNERS in each place, whatever the denied paths say", () => {
    const open = { deniedPaths: [], scope: [], scopeStrict: false };
    for (const path of [
      ".github/workflows/ci.yml",
      ".github/actions/setup/action.yml",
      "CODEOWNERS",
      ".github/CODEOWNERS",
      "docs/CODEOWNERS",
      ".GitHub/codeowners",
    ]) {
      expect(checkPath(path, open), path).toMatchObject({ ok: false, reason: expect.stringContaining("protected path") });
    }
    expect(checkPath("src/CODEOWNERS.md", open).ok).toBe(true);
  });

  it("holds only globs the path matcher takes (one it refused would deny nothing, or everything)", () => {
    for (const glob of [...ALWAYS_DENIED, ...DEFAULT_DENIED_PATHS]) expect(globProblem(glob), glob).toBeNull();
  });

  it("denies everything under a denied glob it cannot read, which no checked configuration holds", () => {
    expect(checkPath("src/a.ts", { deniedPaths: ["+(x)"], scope: [], scopeStrict: false })).toMatchObject({ ok: false });
  });

  it("normalises harmless forms and refuses escapes", () => {
    expect(normaliseRepoPath("./a//b/./c")).toBe("a/b/c");
    expect(normaliseRepoPath("a/../../b")).toBeNull();
  });
});
