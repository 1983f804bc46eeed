import { countTokens as countO200k, isWithinTokenLimit } from "gpt-tokenizer/encoding/o200k_base";

/**
 * Token counts with a real tokenizer (o200k_base, the encoding of current OpenAI models). For other
 * models' tokenizers it is an estimate, which is why budgets keep a margin.
 */
export function countTokens(text: string): number {
  return countO200k(text);
}

/** True when `text` fits in `limit` tokens; stops counting early on huge inputs. */
export function fitsInTokens(text: string, limit: number): boolean {
  return isWithinTokenLimit(text, limit) !== false;
}

/** Cuts `text` to at most `limit` tokens, on a line boundary where possible. */
export function truncateToTokens(text: string, limit: number): { text: string; truncated: boolean } {
  if (fitsInTokens(text, limit)) return { text, truncated: false };
  const lines = text.split("\n");
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitsInTokens(lines.slice(0, mid).join("\n"), limit)) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) return { text: lines.slice(0, lo).join("\n"), truncated: true };
  // One line longer than the limit: cut by characters.
  let chars = Math.min(text.length, limit * 4);
  while (chars > 0 && !fitsInTokens(text.slice(0, chars), limit)) chars = Math.floor(chars * 0.8);
  return { text: text.slice(0, chars), truncated: true };
}
