import { describe, expect, it, vi } from "vitest";

const tokenizer = vi.hoisted(() => ({ counts: 0, limits: 0 }));
vi.mock("gpt-tokenizer/encoding/o200k_base", async (original) => {
  const real = await original<typeof import("gpt-tokenizer/encoding/o200k_base")>();
  return {
    ...real,
    countTokens: (text: string) => (tokenizer.counts++, real.countTokens(text)),
    isWithinTokenLimit: (text: string, limit: number) => (tokenizer.limits++, real.isWithinTokenLimit(text, limit)),
  };
});

const { countTokens, fitsInTokens, truncateToTokens, TokenCounts } = await import("./tokens.js");

/** A file's text as a prompt shows it, unique to each test. */
const fileText = (name: string) => `// ${name}\n` + Array.from({ length: 50 }, (_, i) => `export const v${i} = "${name}-${i}";`).join("\n");

describe("token counts", () => {
  it("count a text once however many prompts hold it, with the tokenizer's own figure", async () => {
    const { countTokens: real } =
      await vi.importActual<typeof import("gpt-tokenizer/encoding/o200k_base")>("gpt-tokenizer/encoding/o200k_base");
    const text = fileText("once");
    const before = tokenizer.counts;
    const first = countTokens(text);
    // Another string with the same text, as a second job reading the same blob makes it.
    expect(countTokens(text.slice(0, 10) + text.slice(10))).toBe(first);
    expect(tokenizer.counts - before).toBe(1);
    expect(first).toBe(real(text));
  });

  it("answer whether a counted text fits without counting it again, either way", () => {
    const text = fileText("fits");
    const tokens = countTokens(text);
    const before = { counts: tokenizer.counts, limits: tokenizer.limits };
    expect(fitsInTokens(text, tokens)).toBe(true);
    expect(fitsInTokens(text, tokens - 1)).toBe(false);
    expect([tokenizer.counts - before.counts, tokenizer.limits - before.limits]).toEqual([0, 0]);
  });

  it("keep the whole count a fitting text was found to have", () => {
    const text = fileText("fitting");
    expect(fitsInTokens(text, 100_000)).toBe(true);
    const before = tokenizer.counts;
    expect(countTokens(text)).toBeGreaterThan(100);
    expect(tokenizer.counts - before).toBe(0);
  });

  it("stop counting a huge text once it is past the limit", () => {
    const huge = fileText("huge").repeat(200);
    const before = { counts: tokenizer.counts, limits: tokenizer.limits };
    expect(fitsInTokens(huge, 1_000)).toBe(false);
    expect(tokenizer.counts - before.counts).toBe(0);
    expect(tokenizer.limits - before.limits).toBe(1);
  });

  it("cut a text as before: the longest prefix of whole lines within the limit", () => {
    const text = fileText("cut");
    const cut = truncateToTokens(text, 60);
    expect(cut.truncated).toBe(true);
    expect(text.startsWith(cut.text)).toBe(true);
    expect(countTokens(cut.text)).toBeLessThanOrEqual(60);
    const oneMoreLine = text.slice(0, text.indexOf("\n", cut.text.length + 1));
    expect(countTokens(oneMoreLine)).toBeGreaterThan(60);
  });
});

describe("the kept counts", () => {
  const long = (n: number) => `${"x".repeat(70)}${String(n).padStart(2, "0")}`;

  it("let the least recently used go first past the number of entries", () => {
    const counts = new TokenCounts(2, 1_000_000, 64);
    counts.set(long(1), 1);
    counts.set(long(2), 2);
    expect(counts.get(long(1))).toBe(1);
    counts.set(long(3), 3);
    expect([counts.get(long(1)), counts.get(long(2)), counts.get(long(3))]).toEqual([1, undefined, 3]);
  });

  it("stay within their characters, and keep neither very short nor very long texts", () => {
    const counts = new TokenCounts(100, 800, 64);
    for (let n = 0; n < 20; n++) counts.set(long(n), n);
    expect(counts.size).toBe(Math.floor(800 / 72));
    expect(counts.get(long(19))).toBe(19);
    counts.set("short", 1);
    counts.set("y".repeat(101), 1);
    expect([counts.get("short"), counts.get("y".repeat(101))]).toEqual([undefined, undefined]);
  });
});
