/**
 * Text from people, repositories and models, made safe to put in the app's own Markdown comments:
 * one line, balanced code spans kept, and everything else inert (HTML, links, emphasis, table pipes
 * and @mentions escaped), so no plan, check output or model answer can inject markup or pings.
 */

const MAX_LENGTH = 600;

export function safeMarkdown(text: string, maxLength = MAX_LENGTH): string {
  let s = text
    .replace(/[\u0000-\u001F\u007F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (s.length > maxLength) s = `${s.slice(0, maxLength - 1)}…`;
  let out = "";
  let at = 0;
  while (at < s.length) {
    const tick = s.indexOf("`", at);
    if (tick < 0) {
      out += escapeText(s.slice(at));
      break;
    }
    out += escapeText(s.slice(at, tick));
    const run = /^`+/.exec(s.slice(tick))?.[0] ?? "`";
    const close = findRun(s, tick + run.length, run.length);
    if (close < 0) {
      out += "\\`".repeat(run.length);
      at = tick + run.length;
    } else {
      out += s.slice(tick, close + run.length);
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

function escapeText(text: string): string {
  return text
    .replace(/[\\*_~[\]|]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(?=[\p{L}\p{N}_-])/gu, "@\u200D")
    .replace(/^([#+=-])/, "\\$1");
}
