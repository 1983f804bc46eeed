import { redactSecrets, sanitiseUntrusted } from "../policy/untrusted.js";
import type { Phase } from "../plan/schema.js";
import type { ChangeKind } from "./patch.js";

/** The description of a phase PR. Plan text and model output are sanitised; nothing from the environment. */

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

export function renderPrBody(input: PrBodyInput): string {
  const { phase } = input;
  const lines: string[] = [phaseMarker(input.runId, phase.phase_id), "", `Part of #${input.issueNumber}`, ""];
  lines.push(`## ${phase.phase_id}: ${inline(phase.name)}`, "");
  const description = clean(phase.description).trim();
  if (description.length > 0) lines.push(description, "");
  if (phase.acceptance.length > 0) {
    lines.push("### Acceptance criteria", "", ...phase.acceptance.map((a) => `- [ ] ${inline(a)}`), "");
  }
  lines.push(`### What the Builder did (attempt ${input.attempt})`, "", modelText(input.summary) || "_No summary given._", "");
  lines.push(`### Files changed (+${input.linesAdded} −${input.linesRemoved})`, "");
  for (const f of input.files.slice(0, MAX_LISTED_FILES)) {
    lines.push(`- \`${f.path.replace(/`/g, "'")}\` (${f.kind}, +${f.added} −${f.removed})`);
  }
  if (input.files.length > MAX_LISTED_FILES) lines.push(`- … and ${input.files.length - MAX_LISTED_FILES} more`);
  lines.push("", "---", `Attempt ${input.attempt} · ${input.tokensUsed.toLocaleString("en-US")} tokens used · built by Autopack`);
  return `${lines.join("\n")}\n`;
}

/** Plan text (user-written): comments and invisible characters removed, secrets redacted. */
function clean(text: string): string {
  return neutraliseMentions(sanitiseUntrusted(text));
}

function inline(text: string): string {
  return clean(text).replace(/\s+/g, " ").trim();
}

/** Model output: as plan text, plus cut to size; HTML comments can never carry a fake marker. */
function modelText(text: string): string {
  const cleaned = clean(redactSecrets(text)).trim();
  return cleaned.length > MAX_SUMMARY_CHARS ? `${cleaned.slice(0, MAX_SUMMARY_CHARS)}…` : cleaned;
}

/**
 * `@name` would notify people and "fixes #12" would close issue 12 when the PR merges: break both.
 * Every such `@` is broken, in code too (an unbalanced backtick must not leave one live).
 */
function neutraliseMentions(text: string): string {
  return text
    .replace(/(^|[^\w])@(?=[A-Za-z0-9])/g, "$1@&#8203;")
    .replace(/\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?)(\s*:?\s+)((?:[\w.-]+\/[\w.-]+)?#)(\d)/gi, "$1$2$3&#8203;$4");
}

function markerValue(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, "_");
}
