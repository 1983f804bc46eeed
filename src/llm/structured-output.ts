import type { z } from "zod";

/** Helpers shared by LLM adapters: read a model's JSON answer and describe what is wrong with it. */

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; problem: string };

const MAX_ISSUES = 20;
const MAX_PROBLEM_CHARS = 2000;

/**
 * The JSON text inside a model's answer: drops a leading reasoning block (`<think>…</think>`) and
 * Markdown code fences, which models add even when told not to.
 */
export function extractJsonText(answer: string): string {
  let text = answer.trim().replace(/^<think>[\s\S]*?<\/think>\s*/i, "");
  const whole = /^```[A-Za-z0-9_-]*[^\S\n]*\n?([\s\S]*?)\n?[^\S\n]*```$/.exec(text);
  if (whole?.[1] !== undefined) return whole[1].trim();
  if (!/^[[{]/.test(text)) {
    const inner = /```(?:json|JSON)?[^\S\n]*\n([\s\S]*?)\n[^\S\n]*```/.exec(text);
    if (inner?.[1] !== undefined) text = inner[1];
  }
  return text.trim();
}

/** Parses and validates an answer; on failure, a precise description the model can act on. */
export function parseStructured<T>(answer: string | null | undefined, schema: z.ZodType<T>): ParseOutcome<T> {
  if (answer === null || answer === undefined || answer.trim() === "") {
    return { ok: false, problem: "the answer was empty; it must be a JSON object" };
  }
  let data: unknown;
  try {
    data = JSON.parse(extractJsonText(answer));
  } catch (err) {
    return { ok: false, problem: `the answer is not valid JSON (${(err as Error).message})` };
  }
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problem: clip(`the JSON does not match the schema:\n${describeIssues(result.error.issues)}`) };
}

/** One line per zod issue, with its path, e.g. `- at $.steps[2].title: expected string, received null`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, MAX_ISSUES).map((issue) => `- at ${formatPath(issue.path)}: ${issue.message}`);
  if (issues.length > MAX_ISSUES) lines.push(`- … and ${issues.length - MAX_ISSUES} more problems`);
  return lines.join("\n");
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Sentence appended to the system prompt when the server cannot enforce the schema itself. */
export function schemaInstructions(schemaName: string, jsonSchema: unknown): string {
  return [
    "",
    "",
    `Answer with one JSON object and nothing else: no prose, no Markdown fences. It must conform to this JSON Schema (named ${schemaName}):`,
    JSON.stringify(jsonSchema),
  ].join("\n");
}

/** The follow-up message of the repair round. */
export function repairMessage(problem: string, schemaName: string): string {
  return [
    `Your previous answer could not be used: ${problem}`,
    "",
    `Answer again with only the corrected JSON object matching the schema ${schemaName}.`,
  ].join("\n");
}

/** The follow-up message after an answer was cut off at the output limit. */
export function shorterMessage(maxOutputTokens: number, schemaName: string): string {
  return [
    `Your previous answer was cut off: it exceeded the limit of ${maxOutputTokens} output tokens.`,
    `Answer again with a shorter JSON object matching the schema ${schemaName}: be concise, keep only what is required.`,
  ].join("\n");
}

function clip(text: string): string {
  return text.length <= MAX_PROBLEM_CHARS ? text : `${text.slice(0, MAX_PROBLEM_CHARS)}…`;
}
