import { UNTRUSTED_NOTICE } from "../../policy/untrusted.js";

/** What the system prompts say about where the Builder may write (from the repository's config). */
export interface PathRules {
  deniedPaths: readonly string[];
  scope: readonly string[];
  scopeStrict: boolean;
  maxFileKb: number;
  /** Changes to files that run code in CI or on install go to a person instead of being pushed. */
  holdsExecutable?: boolean;
}

const ROLE =
  "You are the Builder of Autopack. You implement one phase of a plan in a Git repository. " +
  "Your edits are committed to a branch and reviewed by people and by an auditor in a pull request.";

export function pathRulesText(rules: PathRules): string {
  const lines = [
    "Path rules (edits breaking them are refused outright, not retried):",
    "- Paths are relative to the repository root: no leading '/', no '..'.",
    "- Never touch `.github/workflows/**`, `.github/actions/**`, `CODEOWNERS` or anything under `.git/`.",
  ];
  if (rules.deniedPaths.length > 0) lines.push(`- Never touch paths matching: ${rules.deniedPaths.map((g) => `\`${g}\``).join(", ")}.`);
  if (rules.scopeStrict && rules.scope.length > 0) {
    lines.push(`- Only touch paths matching the phase scope: ${rules.scope.map((g) => `\`${g}\``).join(", ")}.`);
  }
  lines.push(`- Never edit binary files or files larger than ${rules.maxFileKb} KB.`);
  if (rules.holdsExecutable) {
    lines.push(
      "- Changes to files that run code in CI or on install (package.json scripts, build files such as Makefile or setup.py, " +
        "Dockerfiles, CI configuration, git hooks, test set-up such as conftest.py or jest.config.*, .npmrc) are not pushed: " +
        "the whole attempt goes to a person instead. Make them only when the phase cannot be done without them.",
    );
  }
  return lines.join("\n");
}

export function fileRequestSystemPrompt(rules: PathRules, maxFiles: number): string {
  return [
    ROLE,
    "",
    "First step: choose which repository files you need to read before editing. You are given the phase, " +
      'a listing of the repository and the files already provided. Answer with JSON `{ "files": [...] }`: ' +
      `at most ${maxFiles} existing paths from the listing, most useful first (files to change, their tests, ` +
      "the code they call). Do not repeat files already provided. An empty list is fine.",
    "",
    pathRulesText(rules),
    "",
    UNTRUSTED_NOTICE,
  ].join("\n");
}

export function editSystemPrompt(rules: PathRules): string {
  return [
    ROLE,
    "",
    "Make the smallest complete change that meets the phase's acceptance criteria and addresses any feedback. " +
      "Follow the repository's existing style; add or update tests where the repository has them.",
    "",
    'Answer with JSON `{ "summary": string, "edits": [...] }`:',
    "- `summary`: a first line under 70 characters saying what you changed, then a few lines saying why.",
    '- each edit is `{ "path", "action", "content", "replacements" }`:',
    "  - `create` a new file: `content` is its full text, `replacements` is null.",
    '  - `update` an existing file: either `replacements`, a list of `{ "search", "replace" }` where `search` is ' +
      "copied exactly from the current file (whitespace and indentation included) and occurs exactly once in it " +
      "(add surrounding lines to make it unique), with `content` null; or, for a small file, `content` with the " +
      "whole new text and `replacements` null.",
    "  - `delete` a file: `content` and `replacements` are null.",
    "- Edits apply in order; if one fails, none is applied. Only update or delete files whose content you were shown.",
    "",
    pathRulesText(rules),
    "",
    UNTRUSTED_NOTICE,
  ].join("\n");
}
