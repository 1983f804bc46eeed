import { executableChanges, type ExecutableChange } from "../policy/executable-files.js";
import { NeedsPerson } from "./failure.js";
import { buildPatch, type FileChange } from "./patch.js";

/**
 * The last check before anything is written: a change that would alter what runs in CI or on install
 * (src/policy/executable-files.ts) is not pushed, since a push runs the repository's workflows before
 * anyone has reviewed it. The attempt stops and the phase goes to a person, unless the repository
 * allows such changes (`allow_executable_changes`).
 */
export function holdExecutableChanges(changes: readonly FileChange[], allowed: boolean): void {
  if (allowed) return;
  const found = executableChanges(changes);
  if (found.length === 0) return;
  const paths = new Set(found.map((f) => f.path));
  const details = buildPatch(changes.filter((c) => paths.has(c.path))).patch;
  throw new NeedsPerson(executableReason(found), details);
}

const MAX_NAMED = 10;

/** Why the phase needs a person, files first (the status table shows the start of it). */
export function executableReason(found: readonly ExecutableChange[]): string {
  const named = found.slice(0, MAX_NAMED).map((f) => `${f.path} (${f.what}: ${f.change})`);
  const more = found.length > MAX_NAMED ? ` and ${found.length - MAX_NAMED} more` : "";
  return (
    `the change would alter files that run code in CI or on install: ${named.join(", ")}${more}. ` +
    "Nothing was pushed, so no workflow has run it. A person should review the proposed change and push it themselves, " +
    "or set `allow_executable_changes: true` in .github/autopack.yml on the default branch to let the Builder push such changes."
  );
}
