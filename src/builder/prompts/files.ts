import { untrustedBlock } from "../../policy/untrusted.js";

/** One file as placed in a prompt: its path, then its content in an untrusted block. */
export function fileSection(path: string, content: string, altered: boolean): string {
  const note = altered
    ? "\n(Parts of this file are hidden from you: edit it with `replacements` whose search text avoids them, never with full `content`.)"
    : "";
  return `### File ${JSON.stringify(path)}${note}\n${untrustedBlock("file", content)}`;
}
