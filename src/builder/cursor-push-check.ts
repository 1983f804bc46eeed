import parseDiff from "parse-diff";
import type { RepoConfig } from "../config/repo-config.js";
import type { RepoGitHub } from "../github/door.js";
import type { Phase } from "../plan/schema.js";
import { executableChanges, mayRunCode, type FileChange } from "../policy/executable-files.js";
import { checkPath } from "../policy/path-policy.js";
import { executableReason } from "./executable-gate.js";
import type { ChangeKind } from "./patch.js";

/** What a push changed between two commits, read back from GitHub. */
export interface PushedChanges {
  /** Unified diff (`before...head`, from their merge base). */
  patch: string;
  files: Array<{ path: string; previousPath: string | null; kind: ChangeKind; added: number; removed: number }>;
  linesAdded: number;
  linesRemoved: number;
}

export async function readPush(github: RepoGitHub, before: string, head: string): Promise<PushedChanges> {
  const patch = await github.diff(before, head);
  const files = parseDiff(patch).map((f) => {
    const path = (f.deleted ? f.from : f.to) ?? f.from ?? "";
    const previousPath = !f.new && !f.deleted && f.from && f.from !== path ? f.from : null;
    const kind: ChangeKind = f.new ? "added" : f.deleted ? "deleted" : "modified";
    return { path, previousPath, kind, added: f.additions, removed: f.deletions };
  });
  return {
    patch,
    files,
    linesAdded: files.reduce((n, f) => n + f.added, 0),
    linesRemoved: files.reduce((n, f) => n + f.removed, 0),
  };
}

/**
 * The rules a push by an outside Builder (a Cursor agent) is held to, the same the built-in Builder
 * checks before it writes: no denied or protected path (`checkPath`), nothing outside the phase's
 * scope when `scope_strict`, and no change to a file that runs code in CI or on install unless
 * `allow_executable_changes`. Answers why the push breaks them (null: it keeps them), with the diff
 * of the offending files for the person the phase goes to.
 */
export async function pushViolations(
  github: RepoGitHub,
  pushed: PushedChanges,
  refs: { before: string; head: string },
  config: RepoConfig,
  phase: Phase,
): Promise<{ reason: string; offending: string[] } | null> {
  const policy = { deniedPaths: config.denied_paths, scope: phase.scope, scopeStrict: config.scope_strict };
  const refused = new Map<string, string>();
  for (const file of pushed.files) {
    for (const path of [file.path, file.previousPath]) {
      if (path === null || refused.has(path)) continue;
      const verdict = checkPath(path, policy);
      if (!verdict.ok) refused.set(path, verdict.reason);
    }
  }
  const parts: string[] = [];
  if (refused.size > 0) parts.push(`it changed paths no Builder may write: ${[...refused.values()].slice(0, 10).join("; ")}`);

  let executable: string[] = [];
  if (!config.allow_executable_changes) {
    const changes: FileChange[] = [];
    for (const file of pushed.files) {
      if (!mayRunCode(file.path) && (file.previousPath === null || !mayRunCode(file.previousPath))) continue;
      // Manifests are judged on the keys that run code, so both versions are read; any other such file counts whole.
      const before = file.kind === "added" ? null : ((await github.readFile(file.previousPath ?? file.path, refs.before)) ?? "");
      const after = file.kind === "deleted" ? null : ((await github.readFile(file.path, refs.head)) ?? "\u0000unreadable");
      changes.push({ path: file.path, before, after: before === after && file.previousPath !== null ? `${after}\u0000renamed` : after });
      if (file.previousPath !== null && mayRunCode(file.previousPath))
        changes.push({ path: file.previousPath, before: before ?? "", after: null });
    }
    const found = executableChanges(changes);
    executable = found.map((f) => f.path);
    if (found.length > 0) parts.push(executableReason(found).split(". Nothing was pushed")[0]!);
  }
  if (parts.length === 0) return null;
  return { reason: parts.join("; and "), offending: [...new Set([...refused.keys(), ...executable])] };
}
