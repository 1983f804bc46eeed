/** A small map with a cap (least recently used go first) and an age after which an entry is gone. */
export class Memo<V> {
  readonly #entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly max: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (this.now() - entry.at > this.maxAgeMs) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, at: this.now() });
    for (const old of this.#entries.keys()) {
      if (this.#entries.size <= this.max) break;
      this.#entries.delete(old);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
