import picomatch from "picomatch";

/**
 * Files whose contents decide what runs, and with what access: in the repository's CI, on install,
 * when a person checks the branch out or opens it in a development environment. A phase branch is
 * pushed to the repository before anyone has reviewed it, and a push runs the repository's workflows,
 * with the repository's secrets. So the Builder never pushes a model-written change to one of these
 * files: the attempt stops before any write and the phase goes to a person (unless the repository
 * says otherwise with `allow_executable_changes`). The check is deterministic: paths, and for JSON
 * manifests the parsed keys that run code (a change elsewhere in `package.json` passes).
 *
 * It covers how things run, not the code they run: the repository's tests and source, and scripts its
 * workflows call by name, still run in CI on a phase branch. What a repository's workflows should do
 * about that is in the README's security model.
 */

/** One kind of file that runs code, with the globs that find it (matched case-insensitively, at any depth when they start with `**`). */
export interface ExecutableKind {
  /** What such a file is, for people ("a build file", "CI configuration", …). */
  what: string;
  globs: readonly string[];
}

export const EXECUTABLE_FILES: readonly ExecutableKind[] = [
  {
    what: "a build or install hook",
    globs: [
      // Python
      "**/setup.py",
      "**/setup.cfg",
      "**/pyproject.toml",
      "**/hatch_build.py",
      "**/Pipfile",
      // make, autotools, CMake, Meson, Bazel and task runners
      "**/Makefile",
      "**/GNUmakefile",
      "**/*.mk",
      "**/Makefile.am",
      "**/Makefile.in",
      "**/configure",
      "**/configure.ac",
      "**/CMakeLists.txt",
      "**/*.cmake",
      "**/meson.build",
      "**/BUILD",
      "**/BUILD.bazel",
      "**/WORKSPACE",
      "**/WORKSPACE.bazel",
      "**/MODULE.bazel",
      "**/*.bzl",
      "**/.bazelrc",
      "**/justfile",
      "**/Taskfile.yml",
      "**/Taskfile.yaml",
      // JVM
      "**/build.gradle",
      "**/build.gradle.kts",
      "**/settings.gradle",
      "**/settings.gradle.kts",
      "**/gradle/wrapper/**",
      "**/gradlew",
      "**/gradlew.bat",
      "**/buildSrc/**",
      "**/pom.xml",
      "**/.mvn/**",
      "**/mvnw",
      "**/mvnw.cmd",
      "**/*.sbt",
      // Ruby
      "**/Rakefile",
      "**/*.rake",
      "**/Gemfile",
      "**/*.gemspec",
      // Rust (Cargo.toml is taken whole: a build script can be named in it)
      "**/Cargo.toml",
      "**/build.rs",
      "**/.cargo/config",
      "**/.cargo/config.toml",
      // native addons (npm runs node-gyp on install when binding.gyp exists)
      "**/binding.gyp",
      "**/*.gyp",
      "**/*.gypi",
      // .NET (MSBuild runs the commands a project file names)
      "**/*.csproj",
      "**/*.fsproj",
      "**/*.vbproj",
      "**/*.props",
      "**/*.targets",
    ],
  },
  {
    what: "a git hook",
    globs: [
      "**/.husky/**",
      "**/.githooks/**",
      "**/lefthook.yml",
      "**/lefthook.yaml",
      "**/.lefthook.yml",
      "**/.lefthook.yaml",
      "**/lefthook-local.yml",
      "**/lefthook-local.yaml",
      "**/.pre-commit-config.yaml",
      "**/.pre-commit-config.yml",
      "**/.pre-commit-hooks.yaml",
      "**/.lintstagedrc*",
      "**/lint-staged.config.*",
      "**/.simple-git-hooks*",
      "**/simple-git-hooks.*",
      "**/.overcommit.yml",
    ],
  },
  {
    what: "a GitHub Action",
    globs: [".github/workflows/**", ".github/actions/**", "**/action.yml", "**/action.yaml"],
  },
  {
    what: "CI or deployment configuration",
    globs: [
      "**/.gitlab-ci.yml",
      ".gitlab/**",
      ".circleci/**",
      "**/.travis.yml",
      "**/azure-pipelines*.yml",
      "**/azure-pipelines*.yaml",
      ".azure-pipelines/**",
      ".azuredevops/**",
      "**/Jenkinsfile*",
      ".buildkite/**",
      "**/bitbucket-pipelines.yml",
      "**/.drone.yml",
      "**/.drone.yaml",
      "**/.drone.star",
      "**/appveyor.yml",
      "**/.appveyor.yml",
      "**/cloudbuild.yaml",
      "**/cloudbuild.yml",
      "**/buildspec.yml",
      "**/buildspec.yaml",
      "**/.woodpecker.yml",
      "**/.woodpecker.yaml",
      ".woodpecker/**",
      "**/codefresh.yml",
      ".semaphore/**",
      ".teamcity/**",
      ".tekton/**",
      "**/netlify.toml",
      "**/vercel.json",
      "**/render.yaml",
      "app.json",
      "Procfile",
    ],
  },
  {
    what: "a container build file",
    globs: [
      "**/Dockerfile*",
      "**/*.dockerfile",
      "**/Containerfile*",
      "**/docker-compose*.yml",
      "**/docker-compose*.yaml",
      "**/compose.yml",
      "**/compose.yaml",
      "**/compose.*.yml",
      "**/compose.*.yaml",
      "**/docker-bake.hcl",
      "**/docker-bake.json",
    ],
  },
  {
    what: "a test set-up file",
    globs: [
      "**/conftest.py",
      "**/pytest.ini",
      "**/tox.ini",
      "**/noxfile.py",
      "**/sitecustomize.py",
      "**/usercustomize.py",
      "**/jest.*",
      "**/vitest.*",
      "**/vite.config.*",
      "**/setupTests.*",
      "**/setup-tests.*",
      "**/.mocharc*",
      "**/karma.conf.*",
      "**/ava.config.*",
      "**/playwright.config.*",
      "**/cypress.config.*",
      "**/cypress/support/**",
      "**/.rspec",
      "**/spec_helper.rb",
      "**/rails_helper.rb",
      "**/test_helper.rb",
      "**/phpunit.xml*",
      "**/bunfig.toml",
    ],
  },
  {
    what: "install settings",
    globs: [
      "**/.npmrc",
      "**/.yarnrc",
      "**/.yarnrc.yml",
      "**/.yarn/releases/**",
      "**/.yarn/plugins/**",
      "**/.pnpmfile.cjs",
      "**/pip.conf",
      "**/NuGet.config",
    ],
  },
  {
    what: "a development environment that runs when the branch is opened",
    globs: [".devcontainer/**", "**/.devcontainer.json", "**/.gitpod.yml", ".vscode/tasks.json"],
  },
];

/**
 * JSON manifests of which only some keys run code, by file name: `scripts` (every one of them:
 * `preinstall`, `install`, `postinstall`, `prepare`, `test`, …; npm, yarn and pnpm run them), the
 * configuration of test runners and git hooks that a manifest can carry instead of a file of its own,
 * and `gypfile` (native builds on install). `composer.json`'s `scripts` run on `composer install`.
 */
export const MANIFEST_KEYS: Readonly<Record<string, readonly string[]>> = {
  "package.json": ["scripts", "gypfile", "jest", "mocha", "ava", "husky", "simple-git-hooks", "pre-commit", "lint-staged"],
  "composer.json": ["scripts"],
};

/** A change the Builder is about to commit: contents before (null: new file) and after (null: deleted). */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
}

export interface ExecutableChange {
  path: string;
  /** What the file is ({@link ExecutableKind.what}, or a manifest's). */
  what: string;
  /** What changed in it, for people: "added", "deleted", "changed", or the manifest keys that changed. */
  change: string;
}

// As `checkPath` matches (src/policy/path-policy.ts): dotfiles too, and any case, as on the file
// systems of many clones.
const globOptions = { dot: true, nocase: true } as const;

const matchers = EXECUTABLE_FILES.map((kind) => ({ what: kind.what, isMatch: picomatch([...kind.globs], globOptions) }));

/**
 * A path as file systems that forgive spelling read it: every segment NFKC-normalised, without
 * characters that show nothing, and without trailing dots and spaces (Windows drops them:
 * `Makefile.` is `Makefile` there).
 */
function lenientPath(path: string): string {
  return path
    .split("/")
    .map((segment) =>
      segment
        .normalize("NFKC")
        .replace(/[\u00AD\u034F\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/g, "")
        .replace(/[. ]+$/, ""),
    )
    .join("/");
}

/** What kind of file that runs code `path` is, or null. JSON manifests are not named here: only some of their keys run code. */
export function executableKind(path: string): string | null {
  const lenient = lenientPath(path);
  for (const { what, isMatch } of matchers) if (isMatch(path) || isMatch(lenient)) return what;
  return null;
}

function manifestKeys(path: string): readonly string[] | null {
  const name = (lenientPath(path).split("/").pop() ?? "").toLowerCase();
  return MANIFEST_KEYS[name] ?? null;
}

/** Whether a change to `path` could change what runs (the whole file, or some keys of a manifest). */
export function mayRunCode(path: string): boolean {
  return executableKind(path) !== null || manifestKeys(path) !== null;
}

/** The changes among `changes` that change what runs; empty when none does. */
export function executableChanges(changes: readonly FileChange[]): ExecutableChange[] {
  const out: ExecutableChange[] = [];
  for (const change of changes) {
    if (change.before === change.after) continue;
    const what = executableKind(change.path);
    if (what !== null) {
      out.push({ path: change.path, what, change: change.before === null ? "added" : change.after === null ? "deleted" : "changed" });
      continue;
    }
    const keys = manifestKeys(change.path);
    if (keys === null) continue;
    const changed = changedManifestKeys(change.before, change.after, keys);
    if (changed !== null) out.push({ path: change.path, what: "a package manifest's scripts or hooks", change: changed });
  }
  return out;
}

type Json = Record<string, unknown>;

/**
 * Which of `keys` differ between two versions of a JSON manifest (null: none does). A version that
 * is not a JSON object cannot be read, so what it runs cannot be told: that counts as a change.
 */
function changedManifestKeys(before: string | null, after: string | null, keys: readonly string[]): string | null {
  const old = before === null ? {} : parseObject(before);
  const now = after === null ? {} : parseObject(after);
  if (old === null || now === null) return "changed, and it is not a JSON object that can be compared";
  const parts: string[] = [];
  for (const key of keys) {
    const a = own(old, key);
    const b = own(now, key);
    if (canonical(a) === canonical(b)) continue;
    if (key === "scripts" && isObject(a ?? {}) && isObject(b ?? {})) {
      parts.push(`scripts ${scriptChanges((a ?? {}) as Json, (b ?? {}) as Json)}`);
    } else parts.push(`"${key}" ${a === undefined ? "added" : b === undefined ? "removed" : "changed"}`);
  }
  return parts.length > 0 ? parts.join("; ") : null;
}

function scriptChanges(a: Json, b: Json): string {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changed = names
    .filter((n) => canonical(own(a, n)) !== canonical(own(b, n)))
    .map((n) => `"${n}" ${!Object.hasOwn(a, n) ? "added" : !Object.hasOwn(b, n) ? "removed" : "changed"}`);
  const shown = changed.slice(0, 8);
  return shown.join(", ") + (changed.length > shown.length ? ` and ${changed.length - shown.length} more` : "");
}

function parseObject(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** A key of a parsed object, never one it inherits (`constructor` is a fine script name). */
function own(object: Json, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON text with object keys sorted, so that reordering keys is no change. */
function canonical(value: unknown): string {
  if (value === undefined) return "undefined";
  return JSON.stringify(value, (_, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
