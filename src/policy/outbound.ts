/**
 * Outbound text: everything the app posts to GitHub (status and escalation comments, PR titles and
 * bodies, commit messages, review bodies and inline comments, check run output, replies) that holds
 * text from people, repositories, models or other services passes through one of the compositions at
 * the end of this file. Each composition is a fixed list of the small pure steps above it, chosen for
 * where the text lands; callers add nothing of their own but the layout around it.
 */

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

type Step = (text: string) => string;

/** Zero-width and bidi controls, variation selectors, fillers and Unicode tag characters ("ASCII smuggling"). */
const INVISIBLE =
  /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\u00AD\u180E\u034F\u115F\u1160\u3164\uFFA0\uFE00-\uFE0F\u{E0000}-\u{E007F}]/gu;
/** An HTML comment, or an unclosed one up to the end of the text. */
const HTML_COMMENT = /<!--[\s\S]*?(-->|$)/g;

const SECRET_PATTERNS: readonly RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}\b/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

/**
 * What the breaking steps put after an `@` or a `#`: invisible, the same in Markdown and in plain
 * text (an HTML entity would show as `&#8203;` in a commit message or a code span).
 */
export const BREAK = "\u200D";

/** `\r\n` and `\r` as `\n`. */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** Removes characters that show nothing or reorder what is shown (zero-width, bidi, tags). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/** Removes HTML comments (which hide text and could forge the app's markers), an unclosed one to the end. */
export function stripHtmlComments(text: string): string {
  return text.replace(HTML_COMMENT, "");
}

/** Replaces token- and key-shaped strings with `[REDACTED]`. */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((acc, re) => acc.replace(re, "[REDACTED]"), text);
}

/** Replaces URLs with `[url]` (error text can name internal hosts or carry tokens in a query). */
export function hideUrls(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "[url]");
}

/** One line: every run of whitespace or control characters becomes one space; trimmed. */
export function oneLine(text: string): string {
  return text.replace(/[\s\u0000-\u001F\u007F]+/g, " ").trim();
}

export function trim(text: string): string {
  return text.trim();
}

/**
 * Breaks `@name` and `@org/team` so nobody is notified: GitHub reads a mention only after the start
 * of the text or a character that is not a letter, digit or `_`.
 */
export function breakMentions(text: string): string {
  return text.replace(/(^|[^\w])@(?=[A-Za-z0-9])/g, `$1@${BREAK}`);
}

/**
 * Breaks the issue reference after a closing keyword (`Fixes #12`, `closes: acme/app#3`,
 * `resolves GH-4`, `fixed https://github.com/acme/app/issues/5`), so merging the PR or the commit
 * closes nothing. Other references are left to link.
 */
export function neutraliseClosingKeywords(text: string): string {
  return text.replace(
    /\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?)(\s*:?\s+)((?:[\w.-]+\/[\w.-]+)?#|GH-|https?:\/\/[^\s/]+\/[\w.-]+\/[\w.-]+\/(?:issues|pull)\/)(\d)/gi,
    `$1$2$3${BREAK}$4`,
  );
}

/**
 * Makes one line of text inert in Markdown: outside balanced code spans, HTML, links, emphasis,
 * table pipes and a leading block marker are escaped and mentions broken; an unbalanced backtick is
 * escaped. In a table, a pipe inside a code span would still end the cell, so it is escaped too.
 */
export function escapeMarkdownLine(text: string, options: { inTable?: boolean } = {}): string {
  let out = "";
  let at = 0;
  while (at < text.length) {
    const tick = text.indexOf("`", at);
    if (tick < 0) {
      out += escapeProse(text.slice(at));
      break;
    }
    out += escapeProse(text.slice(at, tick));
    const run = /^`+/.exec(text.slice(tick))?.[0] ?? "`";
    const close = findRun(text, tick + run.length, run.length);
    if (close < 0) {
      out += "\\`".repeat(run.length);
      at = tick + run.length;
    } else {
      const span = text.slice(tick, close + run.length);
      out += options.inTable ? span.replace(/\|/g, "\\|") : span;
      at = close + run.length;
    }
  }
  return out;
}

/** Start of the next run of exactly `length` backticks at or after `from`, or -1. */
function findRun(s: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let m = runs.exec(s); m; m = runs.exec(s)) if (m[0].length === length) return m.index;
  return -1;
}

function escapeProse(text: string): string {
  const escaped = text
    .replace(/[\\*_~[\]|]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
  return breakMentions(escaped).replace(/^([#+=-])/, "\\$1");
}

/** Cuts `text` to at most `maxChars` characters, `note` included, without splitting a surrogate pair. */
export function cut(text: string, maxChars: number, note = "…"): string {
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

/** `text` as a Markdown code span on one line, whatever backticks it holds. */
export function codeSpan(text: string): string {
  const line = text.replace(/\s*\n\s*/g, " ");
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  const pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
  return `${ticks}${pad}${line}${pad}${ticks}`;
}

function pipeline(text: string, ...steps: Step[]): string {
  return steps.reduce((acc, step) => step(acc), text);
}

const cutTo =
  (maxChars: number, note?: string): Step =>
  (text) =>
    cut(text, maxChars, note);

// ---------------------------------------------------------------------------------------------
// Compositions
// ---------------------------------------------------------------------------------------------

/**
 * Prose whose Markdown GitHub renders or autolinks: PR and review bodies, inline comments, check run
 * output, commit messages. Markup is kept (a model may use lists and code); nothing in it is hidden,
 * pings anyone, closes an issue or repeats a secret.
 */
export function forMarkdownBody(text: string, maxChars = Infinity): string {
  return pipeline(
    text,
    normaliseNewlines,
    stripInvisible,
    stripHtmlComments,
    redactSecrets,
    breakMentions,
    neutraliseClosingKeywords,
    trim,
    cutTo(maxChars),
  );
}

/** As {@link forMarkdownBody}, on one line: list items, sentences, titles. */
export function forMarkdownLine(text: string, maxChars = 1_000): string {
  return pipeline(
    text,
    normaliseNewlines,
    stripInvisible,
    stripHtmlComments,
    redactSecrets,
    breakMentions,
    neutraliseClosingKeywords,
    oneLine,
    cutTo(maxChars),
  );
}

/**
 * One line of inert text inside the app's own Markdown (a sentence of a comment, a heading, a list
 * item): balanced code spans kept, all other markup escaped, no pings, no secrets.
 */
export function forPlainLine(text: string, maxChars = 600): string {
  return pipeline(text, stripInvisible, redactSecrets, oneLine, cutTo(maxChars), (t) => escapeMarkdownLine(t));
}

/** As {@link forPlainLine}, for a cell of a Markdown table: nothing in it can end the cell or the row. */
export function forTableCell(text: string, maxChars = 600): string {
  return pipeline(text, stripInvisible, redactSecrets, oneLine, cutTo(maxChars), (t) => escapeMarkdownLine(t, { inTable: true }));
}

/**
 * Code shown verbatim inside a fence (see {@link fenceFor}): suggestions. Only what could hide text,
 * forge a marker or repeat a secret is removed; mentions in code ping nobody.
 */
export function forCodeBlock(text: string, maxChars = Infinity): string {
  return pipeline(text, normaliseNewlines, stripInvisible, stripHtmlComments, redactSecrets, cutTo(maxChars));
}

/** Code or a path as an inline code span: {@link forCodeBlock}, cut, then fenced on one line. */
export function forCodeSpan(text: string, maxChars = Infinity): string {
  return codeSpan(forCodeBlock(text, maxChars));
}

/**
 * Error text from elsewhere (a model server, a parser) that becomes a failure note: kept to the
 * service's words, without URLs or secrets; where it is shown, it passes a composition above.
 */
export function forErrorNote(text: string, maxChars = 1_000): string {
  return pipeline(text, hideUrls, redactSecrets, cutTo(maxChars, ""));
}
