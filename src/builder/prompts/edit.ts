import { untrustedBlock } from "../../policy/untrusted.js";

export interface EditPromptInput {
  task: string;
  listing: string;
  /** Rendered file sections (see `fileSection`). */
  fileSections: readonly string[];
  /** Why some files are not shown (too large, binary, denied, not found); no content. */
  omitted: readonly string[];
}

export function editUserPrompt(input: EditPromptInput): string {
  // File names come from the repository: data like everything else in it.
  const parts = [input.task, "", "## Repository files", untrustedBlock("repository-tree", input.listing), "", "## File contents"];
  parts.push(input.fileSections.length > 0 ? input.fileSections.join("\n\n") : "(no file contents were provided)");
  if (input.omitted.length > 0) {
    parts.push("", "## Files not shown", untrustedBlock("files-not-shown", input.omitted.map((o) => `- ${o}`).join("\n")));
  }
  parts.push("", "Now give the summary and the edits that implement this phase.");
  return parts.join("\n");
}
