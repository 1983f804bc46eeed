import { describe, expect, it } from "vitest";
import { executableChanges, executableKind, mayRunCode } from "./executable-files.js";

const changed = (path: string, before: string | null = "a\n", after: string | null = "b\n") => executableChanges([{ path, before, after }]);

const manifest = (scripts: Record<string, string> | undefined, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: "widgets", version: "1.0.0", ...(scripts ? { scripts } : {}), ...extra }, null, 2);

describe("files that run code", () => {
  it.each([
    ["Makefile", "a build or install hook"],
    ["lib/rules.mk", "a build or install hook"],
    ["makefile", "a build or install hook"],
    ["setup.py", "a build or install hook"],
    ["pkg/pyproject.toml", "a build or install hook"],
    ["setup.cfg", "a build or install hook"],
    ["build.gradle.kts", "a build or install hook"],
    ["gradle/wrapper/gradle-wrapper.properties", "a build or install hook"],
    ["pom.xml", "a build or install hook"],
    ["Rakefile", "a build or install hook"],
    ["Gemfile", "a build or install hook"],
    ["crates/core/Cargo.toml", "a build or install hook"],
    ["crates/core/build.rs", "a build or install hook"],
    ["CMakeLists.txt", "a build or install hook"],
    ["binding.gyp", "a build or install hook"],
    [".husky/pre-commit", "a git hook"],
    [".githooks/pre-push", "a git hook"],
    ["lefthook.yml", "a git hook"],
    [".pre-commit-config.yaml", "a git hook"],
    [".github/actions/setup/action.yml", "a GitHub Action"],
    ["tools/release/action.yaml", "a GitHub Action"],
    [".github/workflows/ci.yml", "a GitHub Action"],
    [".gitlab-ci.yml", "CI or deployment configuration"],
    [".circleci/config.yml", "CI or deployment configuration"],
    [".travis.yml", "CI or deployment configuration"],
    ["azure-pipelines.yml", "CI or deployment configuration"],
    ["Jenkinsfile", "CI or deployment configuration"],
    [".buildkite/pipeline.yml", "CI or deployment configuration"],
    ["bitbucket-pipelines.yml", "CI or deployment configuration"],
    [".drone.yml", "CI or deployment configuration"],
    ["Dockerfile", "a container build file"],
    ["docker/Dockerfile.dev", "a container build file"],
    ["images/api.dockerfile", "a container build file"],
    ["docker-compose.override.yml", "a container build file"],
    ["conftest.py", "a test set-up file"],
    ["tests/unit/conftest.py", "a test set-up file"],
    ["jest.config.js", "a test set-up file"],
    ["packages/web/vitest.config.ts", "a test set-up file"],
    ["vitest.setup.ts", "a test set-up file"],
    ["jest.setup.js", "a test set-up file"],
    ["src/setupTests.ts", "a test set-up file"],
    [".mocharc.json", "a test set-up file"],
    ["pytest.ini", "a test set-up file"],
    ["tox.ini", "a test set-up file"],
    ["noxfile.py", "a test set-up file"],
    ["karma.conf.js", "a test set-up file"],
    [".npmrc", "install settings"],
    ["web/.yarnrc.yml", "install settings"],
    [".devcontainer/devcontainer.json", "a development environment that runs when the branch is opened"],
  ])("%s is %s", (path, what) => {
    expect(executableKind(path)).toBe(what);
    expect(changed(path)).toEqual([{ path, what, change: "changed" }]);
  });

  it.each(["MAKEFILE", "DockerFile", ".HUSKY/pre-commit", "Makefile.", "Makefile ", "Docker\u200Bfile", "\uFF24ockerfile"])(
    "matches %j as the file systems that forgive its spelling read it",
    (path) => {
      expect(executableKind(path)).not.toBeNull();
    },
  );

  it.each(["src/index.ts", "README.md", "docs/Makefile.md", "src/build.ts", "test/widget.test.ts", "package-lock.json", "src/setup.ts"])(
    "leaves %s alone",
    (path) => {
      expect(executableKind(path)).toBeNull();
      expect(mayRunCode(path)).toBe(false);
      expect(changed(path)).toEqual([]);
    },
  );

  it("counts files added and deleted, and nothing that did not change", () => {
    expect(changed("Makefile", null, "all:\n")).toEqual([{ path: "Makefile", what: "a build or install hook", change: "added" }]);
    expect(changed("Makefile", "all:\n", null)).toEqual([{ path: "Makefile", what: "a build or install hook", change: "deleted" }]);
    expect(changed("Makefile", "all:\n", "all:\n")).toEqual([]);
  });
});

describe("package.json", () => {
  it("is flagged when any script changes, lifecycle hooks and test included, naming them", () => {
    const before = manifest({ test: "vitest run", build: "tsc" });
    for (const name of ["preinstall", "install", "postinstall", "prepare", "prepublishOnly"]) {
      expect(changed("package.json", before, manifest({ test: "vitest run", build: "tsc", [name]: "node x.js" }))).toEqual([
        { path: "package.json", what: "a package manifest's scripts or hooks", change: `scripts "${name}" added` },
      ]);
    }
    expect(changed("package.json", before, manifest({ test: "vitest run && curl evil", build: "tsc" }))[0]?.change).toBe(
      'scripts "test" changed',
    );
    expect(changed("package.json", before, manifest({ test: "vitest run" }))[0]?.change).toBe('scripts "build" removed');
    expect(changed("packages/a/package.json", null, manifest({ postinstall: "node x.js" }))).toHaveLength(1);
    expect(changed("package.json", before, null)[0]?.change).toBe('scripts "build" removed, "test" removed');
  });

  it("passes a change elsewhere in the manifest, key order and formatting included", () => {
    const before = manifest({ test: "vitest run", build: "tsc" });
    const after = JSON.stringify({
      name: "widgets",
      version: "1.1.0",
      description: "Now with gadgets",
      scripts: { build: "tsc", test: "vitest run" },
      dependencies: { yaml: "2.9.1" },
    });
    expect(changed("package.json", before, after)).toEqual([]);
    expect(changed("package.json", null, manifest(undefined, { dependencies: {} }))).toEqual([]);
  });

  it("is flagged for the hooks a manifest can carry instead of a file, and when it cannot be read", () => {
    const before = manifest({ test: "jest" });
    expect(changed("package.json", before, manifest({ test: "jest" }, { jest: { setupFiles: ["./evil.js"] } }))[0]?.change).toBe(
      '"jest" added',
    );
    expect(changed("package.json", before, manifest({ test: "jest" }, { husky: { hooks: { "pre-commit": "x" } } }))).toHaveLength(1);
    expect(changed("package.json", before, `${before}\n}`)[0]?.change).toBe("changed, and it is not a JSON object that can be compared");
    expect(changed("Package.JSON", before, manifest({ test: "jest --watch" }))).toHaveLength(1);
    expect(changed("composer.json", "{}", JSON.stringify({ scripts: { "post-install-cmd": "x" } }))).toHaveLength(1);
    expect(changed("package.json", before, manifest({ test: "jest", constructor: "node x.js" }))[0]?.change).toBe(
      'scripts "constructor" added',
    );
  });
});
