import { untrustedBlock } from "../../policy/untrusted.js";

/** The phase as the model sees it; every free text is user-written and goes into untrusted blocks. */
export interface TaskText {
  phaseId: string;
  attempt: number;
  name: string;
  tierName: string | null;
  description: string;
  acceptance: readonly string[];
  scope: readonly string[];
  feedback: string | null;
}

export function taskPrompt(task: TaskText): string {
  const phase = [
    `Name: ${task.name}`,
    ...(task.tierName ? [`Tier: ${task.tierName}`] : []),
    "",
    "Description:",
    task.description.trim() || "(none)",
    "",
    "Acceptance criteria:",
    ...(task.acceptance.length > 0 ? task.acceptance.map((a) => `- ${a}`) : ["(none given)"]),
    ...(task.scope.length > 0 ? ["", `Scope (path globs this phase is expected to touch): ${task.scope.join(", ")}`] : []),
  ].join("\n");
  const parts = [`## Phase ${task.phaseId} (attempt ${task.attempt})`, untrustedBlock("phase", phase)];
  if (task.feedback !== null && task.feedback.trim().length > 0) {
    parts.push(
      "",
      "Feedback on the previous attempt (audit findings, failing checks or reviewers' comments) to address:",
      untrustedBlock("feedback", task.feedback),
    );
  }
  return parts.join("\n");
}
