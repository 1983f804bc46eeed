import { forCodeSpan, forMarkdownBody, forMarkdownLine } from "../policy/outbound.js";
import type { Phase } from "../plan/schema.js";
import type { ChangeKind } from "./patch.js";

/** The title and description of a phase PR. Plan text and model output pass the outbound pipeline; nothing from the environment. */

export interface PrBodyInput {
  issueNumber: number;
  runId: string;
  phase: Phase;
  attempt: number;
  /** The model's summary (untrusted output). */
  summary: string;
  files: ReadonlyArray<{ path: string; kind: ChangeKind; added: number; removed: number }>;
  linesAdded: number;
  linesRemoved: number;
  tokensUsed: number;
}

const MAX_SUMMARY_CHARS = 6_000;
const MAX_LISTED_FILES = 100;

export function phaseMarker(runId: string, phaseId: string): string {
  return `<!-- autopack:phase run=${markerValue(runId)} phase=${markerValue(phaseId)} -->`;
}

/** A squash merge makes the title a commit subject, so it must not close an issue either. */
export function phasePullTitle(phase: Phase): string {
  return `[Autopack ${phase.phase_id}] ${forMarkdownLine(phase.name)}`;
}

export function renderPrBody(input: PrBodyInput): string {
  const { phase } = input;
  const lines: string[] = [phaseMarker(input.runId, phase.phase_id), "", `Part of #${input.issueNumber}`, ""];
  lines.push(`## ${phase.phase_id}: ${forMarkdownLine(phase.name)}`, "");
  const description = forMarkdownBody(phase.description);
  if (description.length > 0) lines.push(description, "");
  if (phase.acceptance.length > 0) {
    lines.push("### Acceptance criteria", "", ...phase.acceptance.map((a) => `- [ ] ${forMarkdownLine(a)}`), "");
  }
  lines.push(
    `### What the Builder did (attempt ${input.attempt})`,
    "",
    forMarkdownBody(input.summary, MAX_SUMMARY_CHARS) || "_No summary given._",
    "",
  );
  lines.push(`### Files changed (+${input.linesAdded} −${input.linesRemoved})`, "");
  for (const f of input.files.slice(0, MAX_LISTED_FILES)) {
    lines.push(`- ${forCodeSpan(f.path)} (${f.kind}, +${f.added} −${f.removed})`);
  }
  if (input.files.length > MAX_LISTED_FILES) lines.push(`- … and ${input.files.length - MAX_LISTED_FILES} more`);
  lines.push("", "---", `Attempt ${input.attempt} · ${input.tokensUsed.toLocaleString("en-US")} tokens used · built by Autopack`);
  return `${lines.join("\n")}\n`;
}

function markerValue(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, "_");
}
