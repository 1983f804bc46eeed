import { LRUCache } from "lru-cache";

/**
 * A small map with a cap (least recently used go first) and an age after which an entry is gone,
 * counted from when it was set. `now` is the clock (tests pass their own).
 */
export class Memo<V extends {}> extends LRUCache<string, V> {
  constructor(max: number, maxAgeMs: number, now: () => number = Date.now) {
    super({ max, ttl: maxAgeMs, perf: { now } });
  }
}
