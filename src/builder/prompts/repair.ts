export interface RepairPromptInput {
  task: string;
  /** One line per edit of the previous answer, e.g. `2. update src/a.ts (3 replacements)`. */
  previousEdits: readonly string[];
  failures: readonly string[];
  /** Paths whose edits failed: the answer's edits for them replace all previous edits to them. */
  failedPaths: readonly string[];
  /** Current contents of the files concerned (see `fileSection`). */
  fileSections: readonly string[];
  /** Failed files whose content could not be shown again (too large for the prompt). */
  notShown: readonly string[];
}

export function repairUserPrompt(input: RepairPromptInput): string {
  const parts = [
    input.task,
    "",
    "## Your previous edits",
    ...input.previousEdits,
    "",
    "## They could not be applied (nothing was changed)",
    ...input.failures.map((f) => `- ${f}`),
    "",
    "## Current contents of the files concerned",
    input.fileSections.length > 0 ? input.fileSections.join("\n\n") : "(none)",
  ];
  if (input.notShown.length > 0) parts.push("", `Not shown again (too large): ${input.notShown.join(", ")}`);
  parts.push(
    "",
    `Give corrected edits for these paths only: ${input.failedPaths.join(", ")}. ` +
      "They replace all your previous edits to those paths; your edits to other paths are kept as they were. " +
      "Copy search texts exactly from the contents above. Repeat the summary of the whole change.",
  );
  return parts.join("\n");
}
