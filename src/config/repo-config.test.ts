import { describe, expect, it } from "vitest";
import { checkPath, DEFAULT_DENIED_PATHS } from "../policy/path-policy.js";
import { DEFAULT_REPO_CONFIG, parseRepoConfig } from "./repo-config.js";

describe("parseRepoConfig", () => {
  it("gives every default when the repository has no file", () => {
    expect(parseRepoConfig(null)).toEqual({ ok: true, config: DEFAULT_REPO_CONFIG });
    expect(DEFAULT_REPO_CONFIG).toMatchObject({
      label: "autopack",
      draft: false,
      auto_merge: false,
      max_parallel_phases: 3,
      ci: { wait: true, timeout_minutes: 60 },
      allow_executable_changes: false,
    });
  });

  it("keeps what the file sets and fills in the rest", () => {
    const result = parseRepoConfig({ label: "build-me", audit: { max_findings: 5 }, budgets: { docs: { builder_attempts: 4 } } });
    expect(result.ok && result.config).toMatchObject({
      label: "build-me",
      audit: { max_findings: 5, min_inline_severity: "minor" },
      budgets: { docs: { builder_attempts: 4 } },
    });
  });

  it("adds a repository's denied_paths to the default ones, never replaces them", () => {
    const result = parseRepoConfig({ denied_paths: ["private/**"] });
    if (!result.ok) throw new Error(result.problems.join("; "));
    expect(result.config.denied_paths).toEqual([...DEFAULT_DENIED_PATHS, "private/**"]);
    const policy = { deniedPaths: result.config.denied_paths, scope: [], scopeStrict: false };
    for (const path of [".env", "config/.env.production", "deploy/key.pem", "private/notes.md"]) {
      expect(checkPath(path, policy).ok, path).toBe(false);
    }
    const emptied = parseRepoConfig({ denied_paths: [] });
    expect(emptied.ok && emptied.config.denied_paths).toEqual(DEFAULT_DENIED_PATHS);
  });

  it("refuses a denied glob that backtracks for seconds per path as a regular expression, naming its key", () => {
    // Today's picomatch regular expression for `+(*a)x` takes over 20 seconds on one 30-character name.
    const result = parseRepoConfig({ denied_paths: ["secrets/**", "+(*a)x", "@(*|*)@(*|*)@(*|*)@(*|*)@(*|*)@(*|*)x"] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.stringMatching(/^`denied_paths\.1`: is a glob Autopack cannot use: it uses an extglob/),
      expect.stringMatching(/^`denied_paths\.2`: is a glob Autopack cannot use: it uses an extglob/),
    ]);
  });

  it("takes `builder: cursor`, and `llm` by default", () => {
    expect(parseRepoConfig({ builder: "cursor" })).toMatchObject({ ok: true, config: { builder: "cursor" } });
    expect(parseRepoConfig({})).toMatchObject({ ok: true, config: { builder: "llm" } });
  });

  it("names every problem with its key", () => {
    const result = parseRepoConfig({
      max_parallel_phases: "lots",
      favourite_colour: "blue",
      builder: "devin",
      budgets: { docs: { builder_attempts: 0 } },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.problems.join("\n");
    expect(text).toContain("`max_parallel_phases`");
    expect(text).toContain("favourite_colour");
    expect(text).toContain('`builder`: must be "llm" (the built-in Builder) or "cursor" (Cursor Cloud Agents)');
    expect(text).toContain("`budgets.docs.builder_attempts`");
  });
});
