import { anyGlob, globMatcher } from "./glob.js";

/**
 * Paths the app never writes, whatever the configuration says: CI definitions and the actions they
 * run, who owns review (`CODEOWNERS`, in each place GitHub reads it), git's own files, and the app's
 * configuration (a Builder must not loosen its own rules).
 */
export const ALWAYS_DENIED = [
  ".github/workflows/**",
  ".github/actions/**",
  "CODEOWNERS",
  ".github/CODEOWNERS",
  "docs/CODEOWNERS",
  ".git/**",
  "**/.git/**",
  ".gitmodules",
  ".github/autopack.yml",
  ".github/autopack.yaml",
];

/**
 * Secret-like files, never written either: a repository's `denied_paths` adds globs to these
 * (`src/config/repo-config.ts`), it cannot take any away.
 */
export const DEFAULT_DENIED_PATHS = [
  ".env",
  ".env.*",
  "**/.env",
  "**/.env.*",
  "**/*.pem",
  "**/*.key",
  "**/id_rsa*",
  "**/id_ed25519*",
  "**/.npmrc",
  "**/.pypirc",
  "**/.netrc",
  "**/credentials*.json",
  "**/secrets.*",
];

export interface PathPolicy {
  /** Globs never written besides {@link ALWAYS_DENIED}: a parsed configuration's `denied_paths` (the defaults and the repository's own). */
  deniedPaths: readonly string[];
  /** When set and `scopeStrict`, only these globs may be written. */
  scope: readonly string[];
  scopeStrict: boolean;
}

export type PathVerdict = { ok: true; path: string } | { ok: false; path: string; reason: string };

// Case-insensitive: on the file systems of many clones `.ENV` is `.env`.
const globOptions = { nocase: true } as const;
const isAlwaysDenied = anyGlob(ALWAYS_DENIED, globOptions);

/** Whether a denied glob matches; one that cannot be read (checked configurations hold none) denies everything. */
function deniedBy(glob: string, path: string): boolean {
  return globMatcher(glob, globOptions)?.(path) ?? true;
}

/** `.git` as git itself refuses it on NTFS and HFS+: any case, trailing dots or spaces, ignorable characters, 8.3 name. */
function isDotGit(segment: string): boolean {
  const s = segment
    .normalize("NFKC")
    .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/g, "")
    .toLowerCase()
    .replace(/[. ]+$/, "");
  return s === ".git" || s === "git~1";
}

/**
 * Normalises a repository-relative path. Returns null for anything that is not a plain relative path
 * inside the repository (absolute, `..`, empty segments, backslashes, control characters).
 */
export function normaliseRepoPath(raw: string): string | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 4096) return null;
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return null;
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) return null;
  const parts = raw.replace(/^\.\//, "").split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    if (part === "..") return null;
    out.push(part);
  }
  return out.length > 0 ? out.join("/") : null;
}

export function checkPath(raw: string, policy: PathPolicy): PathVerdict {
  const path = normaliseRepoPath(raw);
  if (path === null) return { ok: false, path: raw, reason: `"${raw}" is not a relative path inside the repository` };
  if (isAlwaysDenied(path) || path.split("/").some(isDotGit)) {
    return {
      ok: false,
      path,
      reason: `"${path}" is a protected path (.github/workflows/**, .github/actions/**, CODEOWNERS, .git/, .gitmodules and .github/autopack.yml are never written)`,
    };
  }
  const denied = policy.deniedPaths.find((glob) => deniedBy(glob, path));
  if (denied !== undefined) return { ok: false, path, reason: `"${path}" matches the denied path "${denied}"` };
  if (policy.scopeStrict && policy.scope.length > 0 && !anyGlob(policy.scope, globOptions)(path)) {
    return { ok: false, path, reason: `"${path}" is outside the phase scope (${policy.scope.join(", ")}) and scope_strict is on` };
  }
  return { ok: true, path };
}
