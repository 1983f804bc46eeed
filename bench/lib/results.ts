import type { MeasuredRow } from "../run.js";

export interface ResultsInput {
  rows: MeasuredRow[];
  machine: string[];
  date: Date;
  minutes: number;
  command: string;
}

/** Pipes and line breaks would break a Markdown table's cell. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

const verdict = (met: boolean | null) => (met === null ? "–" : met ? "yes" : "**no**");

/** `bench/RESULTS.md`: the table, each row's details, and where and how it was measured. */
export function renderResults(input: ResultsInput): string {
  const lines = [
    "# Benchmark results",
    "",
    `Measured ${input.date.toISOString()} by \`${input.command}\` in ${input.minutes.toFixed(1)} minutes. ` +
      "Every baseline is measured in the same run as its figure. Re-run it to reproduce; see the README's " +
      '"Performance" section.',
    "",
    "| figure | baseline | target | measured | met |",
    "| --- | --- | --- | --- | --- |",
    ...input.rows.map((r) => `| ${cell(r.figure)} | ${cell(r.baseline)} | ${cell(r.target)} | ${cell(r.measured)} | ${verdict(r.met)} |`),
    "",
    "## Details",
    "",
  ];
  for (const r of input.rows) {
    lines.push(`### ${r.figure}`, "", `Module \`bench/rows/${r.module}.ts\` (${r.seconds} s).`, "");
    if (r.detail) lines.push(r.detail.trim(), "");
  }
  lines.push("## Machine", "", ...input.machine.map((m) => `- ${m}`), "");
  return lines.join("\n");
}
