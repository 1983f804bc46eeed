import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * A lock per key in one Redis, held by a lease that its holder renews while it works: if the holder
 * dies, the lease runs out and another process may take the key. One Redis is the whole truth here
 * (no Redlock across several): BullMQ already depends on that one Redis for its queue.
 */
export interface HeldLock {
  /** Stops renewing and gives the key back (only if this holder still has it). */
  release(): Promise<void>;
}

/** Extends the lease only when the caller still holds it. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the key only when the caller still holds it. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export class LeaseLocks {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #leaseMs: number;

  constructor(redis: Redis, options: { prefix: string; leaseMs?: number }) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#leaseMs = options.leaseMs ?? 30_000;
  }

  /** Takes the key's lock, or answers null when someone else holds it. */
  async tryAcquire(key: string): Promise<HeldLock | null> {
    const name = `${this.#prefix}${key}`;
    const token = randomUUID();
    const taken = await this.#redis.set(name, token, "PX", this.#leaseMs, "NX");
    if (taken !== "OK") return null;
    const renew = setInterval(
      () => {
        void this.#redis.eval(RENEW, 1, name, token, String(this.#leaseMs)).catch(() => undefined);
      },
      Math.max(100, Math.floor(this.#leaseMs / 3)),
    );
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        await this.#redis.eval(RELEASE, 1, name, token);
      },
    };
  }
}
