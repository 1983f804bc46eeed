import { describe, expect, it } from "vitest";
import { checkPath, DEFAULT_DENIED_PATHS, normaliseRepoPath } from "./path-policy.js";

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

  it("normalises harmless forms and refuses escapes", () => {
    expect(normaliseRepoPath("./a//b/./c")).toBe("a/b/c");
    expect(normaliseRepoPath("a/../../b")).toBeNull();
  });
});
