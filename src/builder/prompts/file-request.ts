import { untrustedBlock } from "../../policy/untrusted.js";

export interface FileRequestPromptInput {
  task: string;
  listing: string;
  /** Files whose content will be provided anyway (the phase scope). */
  provided: readonly string[];
  maxFiles: number;
}

export function fileRequestUserPrompt(input: FileRequestPromptInput): string {
  const provided = input.provided.length > 0 ? input.provided.map((p) => `- ${p}`).join("\n") : "(none)";
  return [
    input.task,
    "",
    "## Repository files",
    untrustedBlock("repository-tree", input.listing),
    "",
    "## Files already provided",
    untrustedBlock("files-provided", provided),
    "",
    `Which other files do you need to read to implement this phase? List at most ${input.maxFiles} paths.`,
  ].join("\n");
}
