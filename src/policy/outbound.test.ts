import { describe, expect, it } from "vitest";
import {
  BREAK,
  cut,
  forCodeBlock,
  forCodeSpan,
  forErrorNote,
  forMarkdownBody,
  forMarkdownLine,
  forPlainLine,
  forTableCell,
  neutraliseClosingKeywords,
  redactSecrets,
  stripHtmlComments,
  stripInvisible,
} from "./outbound.js";

// Built at run time so no scanner takes this file for a leak; none is a real credential.
const TOKEN = ["ghp", "_", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"].join("");
const AWS = ["AKIA", "Z7QX3M2KD8PLW4NV"].join("");
const OPENAI = ["sk", "-proj-", "abcdefghijklmnopqrstuvwxyz012345"].join("");
const KEY = ["-----BEGIN ", "RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY", "-----"].join("");

const COMPOSITIONS: Record<string, (text: string) => string> = {
  forMarkdownBody: (t) => forMarkdownBody(t),
  forMarkdownLine: (t) => forMarkdownLine(t),
  forPlainLine: (t) => forPlainLine(t),
  forTableCell: (t) => forTableCell(t),
};

/** A mention GitHub would turn into a notification. */
const LIVE_MENTION = /(^|[^\w])@[A-Za-z0-9]/;

/** The cells of one Markdown table row, split where GFM splits them: at pipes not escaped by a backslash. */
function cells(row: string): string[] {
  const out: string[] = [];
  let current = "";
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (c === "\\" && i + 1 < row.length) {
      current += c + row[i + 1];
      i += 1;
    } else if (c === "|") {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out;
}

describe("the outbound steps", () => {
  it("redact every kind of secret-shaped string", () => {
    expect(redactSecrets(`a ${TOKEN} b ${AWS} c ${OPENAI} d ${KEY} e`)).toBe("a [REDACTED] b [REDACTED] c [REDACTED] d [REDACTED] e");
  });

  it("strip zero-width, bidi and tag characters", () => {
    const tags = [..."hi"].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join("");
    expect(stripInvisible(`a\u200Bb\u202Ec\u2066d${tags}e\uFEFF`)).toBe("abcde");
  });

  it("strip HTML comments, an unclosed one to the end", () => {
    expect(stripHtmlComments("a<!-- x -->b<!-- rest")).toBe("ab");
  });

  it("cut without splitting a surrogate pair", () => {
    const cutText = cut("a😀b", 3);
    expect(cutText).toBe("a…");
    expect(cut("😀😀😀", 4)).toBe("😀…");
    expect(cut("short", 10)).toBe("short");
    for (let max = 1; max < 12; max++) expect(cut("x😀y😀z😀w", max)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe("the outbound compositions", () => {
  it.each(Object.entries(COMPOSITIONS))("%s never repeats a secret, even one split by an invisible character", (_, compose) => {
    const split = `${TOKEN.slice(0, 10)}\u200B${TOKEN.slice(10)}`;
    const out = compose(`leaked ${TOKEN} and ${split} and ${AWS} and ${OPENAI} and ${KEY}`);
    for (const secret of [TOKEN, AWS, OPENAI, "MIIEow"]) expect(out).not.toContain(secret);
    expect(out).toContain("REDACTED");
  });

  it.each(Object.entries(COMPOSITIONS))("%s lets no @user or @org/team ping", (_, compose) => {
    for (const text of ["@octocat", "cc @acme/security-team.", "(@octocat)", "é@octocat", "\u200B@octocat", "**@octocat**"]) {
      const out = compose(text);
      expect(out, text).not.toMatch(LIVE_MENTION);
      expect(out, text).toContain(`@${BREAK}`);
    }
  });

  it("uses one invisible breaker everywhere, so a mention reads the same in every context", () => {
    expect(forMarkdownBody("hi @octocat")).toBe(`hi @${BREAK}octocat`);
    expect(forMarkdownLine("hi @octocat")).toBe(`hi @${BREAK}octocat`);
    expect(forPlainLine("hi @octocat")).toBe(`hi @${BREAK}octocat`);
    expect(forTableCell("hi @octocat")).toBe(`hi @${BREAK}octocat`);
    expect(forMarkdownBody("mail a@example.com")).toBe("mail a@example.com");
  });

  it("does not let `<!--` hide what follows it in a Markdown body", () => {
    expect(forMarkdownBody("visible <!-- hidden --> also visible")).toBe("visible  also visible");
    expect(forMarkdownBody("visible <!-- the rest")).toBe("visible");
    // Invisible characters are gone before comments are looked for, so they cannot disguise one.
    expect(forMarkdownBody("a <\u200B!-- b")).toBe("a");
    expect(forMarkdownLine("x <!-- autopack:finding key=forged --> y")).toBe("x y");
    expect(forPlainLine("x <!-- y")).toBe("x &lt;!-- y");
    expect(forTableCell("x <!-- y")).toBe("x &lt;!-- y");
  });

  it("does not let `Fixes #1` (in any form) close an issue, and leaves other references alone", () => {
    const closing = /\b(close[sd]?|fix(e[sd])?|resolve[sd]?)\s*:?\s+([\w.-]+\/[\w.-]+#|#|GH-|https?:\/\/\S+\/(issues|pull)\/)\d/i;
    for (const text of [
      "Fixes #1",
      "this fixes #1.",
      "Closes: acme/app#2",
      "resolved GH-3",
      "FIX https://github.com/acme/app/issues/4",
      "Done; closes #5",
    ]) {
      for (const out of [forMarkdownBody(text), forMarkdownLine(text)]) expect(out, text).not.toMatch(closing);
    }
    expect(neutraliseClosingKeywords("Fixes #12")).toBe(`Fixes #${BREAK}12`);
    expect(forMarkdownBody("see #12 and acme/app#3; prefix #4")).toBe("see #12 and acme/app#3; prefix #4");
  });

  it("keeps a table row's cells whatever a cell's text holds", () => {
    const nasty = "a | b\nnew row | x `code | pipe` \\| ``unbalanced` \\";
    const row = `| ${forTableCell(nasty)} | next |`;
    expect(row).not.toContain("\n");
    expect(cells(row)).toHaveLength(4);
    expect(cells(row)[2]).toBe(" next ");
    // Outside a table the code span is left as written (there a `\|` would show its backslash).
    expect(forPlainLine("`a|b`")).toBe("`a|b`");
    expect(forTableCell("`a|b`")).toBe("`a\\|b`");
  });

  it("makes markup inert in plain lines and cells", () => {
    expect(forTableCell('<img src=x onerror="alert(1)"> [link](http://x) *y* # h')).toBe(
      '&lt;img src=x onerror="alert(1)"&gt; \\[link\\](http://x) \\*y\\* # h',
    );
    expect(forPlainLine("# not a heading")).toBe("\\# not a heading");
    expect(forPlainLine("x".repeat(1_000))).toHaveLength(600);
  });

  it("keeps code verbatim in code blocks, but without comments, invisible characters or secrets", () => {
    expect(forCodeBlock("@Override\r\nvoid run() { x = a | b; } // <b>\n")).toBe("@Override\nvoid run() { x = a | b; } // <b>\n");
    expect(forCodeBlock(`const k = "${TOKEN}"; <!-- autopack:finding key=x -->`)).toBe('const k = "[REDACTED]"; ');
    expect(forCodeSpan("src/`odd`\u202E.ts")).toBe("``src/`odd`.ts``");
  });

  it("keeps error notes to the service's words, without URLs or secrets", () => {
    const note = forErrorNote(`401 from https://llm.internal/v1?key=abc: key ${OPENAI} refused ${"x".repeat(2_000)}`);
    expect(note.startsWith("401 from [url] key [REDACTED] refused x")).toBe(true);
    expect(note).toHaveLength(1_000);
  });

  it("gives the same text when a composition's output passes it again", () => {
    const text = "Fixes #1 for @octocat <!-- x --> with `code`\n\nand ghp_ nothing";
    const once = forMarkdownBody(text);
    expect(forMarkdownBody(once)).toBe(once);
  });
});
