import { checkPath, type PathPolicy } from "../policy/path-policy.js";
import type { PatchLines } from "./diff-lines.js";
import { makeFinding } from "./finding-key.js";
import type { Finding } from "./types.js";

/**
 * Deterministic checks on the parsed diff. They do not depend on the model and can only make a
 * verdict stricter: every hit is a `major` finding with `source: "check"`.
 */

/** One changed file, as the checks see it. */
export interface CheckedFile {
  path: string;
  /** Base path of a rename or copy, else null. */
  previousPath: string | null;
  status: string;
  lines: PatchLines;
}

export interface CheckOptions {
  /** Configured denied globs (`.github/workflows/**` and `.git/` are denied on top, always). */
  deniedPaths: readonly string[];
  /** The phase's scope globs. */
  scope: readonly string[];
  scopeStrict: boolean;
}

export const CHECK_CATEGORIES = { deniedPath: "denied-path", secret: "secret", scope: "scope" } as const;

interface SecretKind {
  name: string;
  pattern: RegExp;
}

/** Credential shapes looked for in added lines. The matched text is never repeated in a finding. */
export const SECRET_KINDS: readonly SecretKind[] = [
  { name: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/ },
  { name: "a GitHub fine-grained token", pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/ },
  { name: "an OpenAI-style API key", pattern: /\bsk-(?:proj-|ant-|live-)?[A-Za-z0-9_-]{20,}/ },
  { name: "an AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "a Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: "a private key", pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/ },
];

export function runChecks(files: readonly CheckedFile[], options: CheckOptions): Finding[] {
  return files.flatMap((file) => [...pathFindings(file, options), ...secretFindings(file)]);
}

function pathFindings(file: CheckedFile, options: CheckOptions): Finding[] {
  const denyPolicy: PathPolicy = { deniedPaths: options.deniedPaths, scope: [], scopeStrict: false };
  const paths = [file.path, ...(file.previousPath !== null && file.previousPath !== file.path ? [file.previousPath] : [])];
  const denied = paths.map((p) => checkPath(p, denyPolicy)).find((v) => !v.ok);
  if (denied !== undefined && !denied.ok) {
    return [
      makeFinding({
        path: file.path,
        line: file.lines.anchor,
        severity: "major",
        category: CHECK_CATEGORIES.deniedPath,
        message: `This PR ${describeChange(file.status)} ${denied.reason}. Autopack never changes such paths; a person must review this change.`,
        suggestion: null,
        source: "check",
      }),
    ];
  }
  if (!options.scopeStrict || options.scope.length === 0) return [];
  const scopePolicy: PathPolicy = { deniedPaths: [], scope: options.scope, scopeStrict: true };
  const outside = paths.map((p) => checkPath(p, scopePolicy)).find((v) => !v.ok);
  if (outside === undefined || outside.ok) return [];
  return [
    makeFinding({
      path: file.path,
      line: file.lines.anchor,
      severity: "major",
      category: CHECK_CATEGORIES.scope,
      message: `This file is changed but ${outside.reason}. Keep the phase's changes inside its scope.`,
      suggestion: null,
      source: "check",
    }),
  ];
}

function describeChange(status: string): string {
  if (status === "removed") return "deletes a file:";
  if (status === "renamed") return "renames a file:";
  if (status === "added") return "adds a file:";
  return "changes a file:";
}

/** One finding per kind of credential per file, on its first added line (so the key stays stable). */
function secretFindings(file: CheckedFile): Finding[] {
  const out: Finding[] = [];
  for (const kind of SECRET_KINDS) {
    const hit = file.lines.added.find((l) => kind.pattern.test(l.text));
    if (hit === undefined) continue;
    out.push(
      makeFinding({
        path: file.path,
        line: hit.line,
        severity: "major",
        category: CHECK_CATEGORIES.secret,
        message:
          `An added line contains what looks like ${kind.name}. Credentials must never be committed: ` +
          "remove it, rewrite the branch history if it was pushed, and have the credential revoked and rotated.",
        suggestion: null,
        source: "check",
      }),
    );
  }
  return out;
}
