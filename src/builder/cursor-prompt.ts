import type { Phase } from "../plan/schema.js";
import { UNTRUSTED_NOTICE } from "../policy/untrusted.js";
import { taskPrompt } from "./prompts/task.js";

export interface CursorPromptInput {
  phase: Phase;
  tierName: string | null;
  attempt: number;
  branch: string;
  /** Why this attempt exists (audit findings, failing checks, reviewers' comments); untrusted text. */
  feedback: string | null;
  deniedPaths: readonly string[];
  scopeStrict: boolean;
  holdsExecutable: boolean;
  /** A follow-up run on the agent that built the earlier attempts. */
  followUp: boolean;
}

/**
 * What a Cursor agent is asked to do: the phase's task, scope, acceptance criteria and feedback, the
 * last two as data in delimited blocks (the same blocks the built-in Builder's prompt uses), and the
 * rules Autopack checks on whatever the agent pushes.
 */
export function cursorPrompt(input: CursorPromptInput): string {
  const rules = [
    `- Commit your work and push it to the branch \`${input.branch}\` only. Do not push any other branch, do not rewrite its history, and do not open a pull request: Autopack opens and owns it.`,
    "- Never change `.github/workflows/**`, `.github/actions/**`, `CODEOWNERS`, `.gitmodules` or `.github/autopack.yml`.",
    `- Never write these paths: ${input.deniedPaths.map((g) => `\`${g}\``).join(", ")}.`,
    ...(input.scopeStrict && input.phase.scope.length > 0
      ? [`- Change only paths inside the phase's scope: ${input.phase.scope.map((g) => `\`${g}\``).join(", ")}.`]
      : []),
    ...(input.holdsExecutable
      ? [
          "- Do not change files that decide what runs in CI or on install (package.json scripts and hooks, build files, Dockerfiles, CI configuration, git hooks, test set-up files, .npmrc).",
        ]
      : []),
    "- A push that breaks one of these rules is reset by Autopack and the phase goes to a person.",
  ];
  const opening = input.followUp
    ? `Autopack sends you the phase again (attempt ${input.attempt}): address the feedback below on the branch \`${input.branch}\`, on top of what is there now.`
    : `You are Autopack's Builder for one phase of a plan. Implement the phase below in this repository.`;
  return [
    opening,
    "",
    UNTRUSTED_NOTICE,
    "",
    taskPrompt({
      phaseId: input.phase.phase_id,
      attempt: input.attempt,
      name: input.phase.name,
      tierName: input.tierName,
      description: input.phase.description,
      acceptance: input.phase.acceptance,
      scope: input.phase.scope,
      feedback: input.feedback,
    }),
    "",
    "Rules:",
    ...rules,
    "",
    "End with a short summary of what you changed and why.",
  ].join("\n");
}
