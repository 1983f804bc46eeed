import { sanitiseUntrusted } from "../policy/untrusted.js";

/**
 * Model text on its way to GitHub: HTML comments (which could forge Autopack's hidden markers) and
 * invisible characters are stripped, token-shaped strings are redacted (a model quoting a secret
 * from the diff must not publish it again), and @-mentions are defused so nobody is pinged.
 */
export function publicText(text: string): string {
  return sanitiseUntrusted(text)
    .replace(/(^|[^\w])@(?=[A-Za-z0-9])/g, "$1@\u200B")
    .trim();
}

/** Model code (suggestions) and paths on their way to GitHub: as {@link publicText}, but verbatim otherwise. */
export function publicCode(text: string): string {
  return sanitiseUntrusted(text);
}

/** As {@link publicText}, on one line (for list items and titles). */
export function publicLine(text: string, maxChars = 1_000): string {
  return truncateChars(publicText(text).replace(/\s*\n\s*/g, " "), maxChars);
}

/** Cuts `text` to at most `maxChars` characters without splitting a surrogate pair. */
export function truncateChars(text: string, maxChars: number, note = "…"): string {
  if (text.length <= maxChars) return text;
  let end = Math.max(0, maxChars - note.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + note;
}

/** A fence of backticks longer than any run of backticks inside `text`. */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** `text` as a Markdown code span, whatever backticks it holds. */
export function codeSpan(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, " ");
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}
