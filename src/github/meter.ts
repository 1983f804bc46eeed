/** Where the door reports each call of a verb (tests count them; a metrics exporter can too). */
export interface GitHubMeter {
  count(verb: string): void;
  /** What GitHub said is left of the rate limit after a request (`x-ratelimit-remaining`), by resource. */
  rateLimit?(remaining: number, resource: string): void;
}

/** Calls per verb, in memory. */
export class CallCounts implements GitHubMeter {
  private readonly calls = new Map<string, number>();

  count(verb: string): void {
    this.calls.set(verb, this.of(verb) + 1);
  }

  /** How many times `verb` was called. */
  of(verb: string): number {
    return this.calls.get(verb) ?? 0;
  }

  /** Every verb called so far, with its count, by name. */
  all(): Record<string, number> {
    return Object.fromEntries([...this.calls].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/**
 * The same object, reporting each call of its methods to `meter` by the method's name. Calls a
 * method makes to its own object are not counted: a verb is counted as its caller used it.
 */
export function metered<T extends object>(target: T, meter: GitHubMeter): T {
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key);
      if (typeof value !== "function" || typeof key !== "string") return value;
      return (...args: unknown[]) => {
        meter.count(key);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}
