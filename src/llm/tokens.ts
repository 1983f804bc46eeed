import { LRUCache } from "lru-cache";
import { countTokens as countO200k, isWithinTokenLimit } from "gpt-tokenizer/encoding/o200k_base";

/**
 * Token counts with a real tokenizer (o200k_base, the encoding of current OpenAI models). For other
 * models' tokenizers it is an estimate, which is why budgets keep a margin.
 */
export function countTokens(text: string): number {
  const known = counted.get(text);
  if (known !== undefined) return known;
  const tokens = countO200k(text);
  counted.set(text, tokens);
  return tokens;
}

/**
 * Up to this many characters a text is counted whole (the tokenizer's plain count is several times
 * faster than its token-by-token walk); past it, counting stops as soon as the limit is passed.
 */
const COUNT_WHOLE_CHARS = 100_000;

/** True when `text` fits in `limit` tokens; stops counting early on huge inputs. */
export function fitsInTokens(text: string, limit: number): boolean {
  if (text.length <= COUNT_WHOLE_CHARS) return countTokens(text) <= limit;
  const known = counted.get(text);
  if (known !== undefined) return known <= limit;
  const within = isWithinTokenLimit(text, limit);
  // Within the limit, the answer is the whole count.
  if (within !== false) counted.set(text, within);
  return within !== false;
}

/** Cuts `text` to at most `limit` tokens, on a line boundary where possible. */
export function truncateToTokens(text: string, limit: number): { text: string; truncated: boolean } {
  if (fitsInTokens(text, limit)) return { text, truncated: false };
  // The prefixes tried here are not asked again: they are not kept.
  const fits = (prefix: string) =>
    prefix.length <= COUNT_WHOLE_CHARS ? countO200k(prefix) <= limit : isWithinTokenLimit(prefix, limit) !== false;
  const lines = text.split("\n");
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(lines.slice(0, mid).join("\n"))) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) return { text: lines.slice(0, lo).join("\n"), truncated: true };
  // One line longer than the limit: cut by characters.
  let chars = Math.min(text.length, limit * 4);
  while (chars > 0 && !fits(text.slice(0, chars))) chars = Math.floor(chars * 0.8);
  return { text: text.slice(0, chars), truncated: true };
}

/**
 * Counts already made, by text (least recently used go first): the same system prompts, file sections
 * and listings are counted in every prompt of a phase and again in its retries. Bounded in entries and
 * in characters; texts too short to be worth keeping or too long to hold are counted every time.
 */
export class TokenCounts {
  readonly #entries: LRUCache<string, number>;

  constructor(
    maxEntries: number,
    maxChars: number,
    private readonly minLength: number,
  ) {
    this.#entries = new LRUCache({
      max: maxEntries,
      maxSize: maxChars,
      maxEntrySize: Math.floor(maxChars / 8),
      sizeCalculation: (_tokens, text) => Math.max(1, text.length),
    });
  }

  get(text: string): number | undefined {
    return text.length < this.minLength ? undefined : this.#entries.get(text);
  }

  set(text: string, tokens: number): void {
    if (text.length >= this.minLength && !this.#entries.has(text)) this.#entries.set(text, tokens);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The process's counts: up to 2,000 texts and 4 million characters (about 8 MB). */
const counted = new TokenCounts(2_000, 4_000_000, 64);
