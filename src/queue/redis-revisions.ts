import { Redis } from "ioredis";

/**
 * The latest revision the app wrote of each status comment, shared by every process on one Redis.
 * A status comment edited after the app's last write is refused unless the reader knows that write
 * (see `src/supervisor/run-store.ts`); with several processes, the one reading is often not the one
 * that wrote, so they tell each other here. Each entry lives 90 days after its last write.
 */
export interface RevisionStore {
  /** The highest revision written of each of these comments (absent: none known). */
  recall(commentIds: number[]): Promise<Map<number, number>>;
  /** Records a write; a lower revision than the one held changes nothing. */
  note(commentId: number, rev: number): Promise<void>;
}

/** Keeps the higher of the held and the given revision, and renews the entry's life. */
const RAISE = `local held = tonumber(redis.call("get", KEYS[1]) or "0")
if tonumber(ARGV[1]) > held then redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2]) else redis.call("pexpire", KEYS[1], ARGV[2]) end
return 1`;

const LIFE_MS = 90 * 24 * 60 * 60_000;

export function redisRevisions(redis: Redis, prefix = "autopack:revision:"): RevisionStore {
  return {
    async recall(commentIds) {
      const found = new Map<number, number>();
      if (commentIds.length === 0) return found;
      const values = await redis.mget(commentIds.map((id) => `${prefix}${id}`));
      values.forEach((value, i) => {
        const rev = Number(value);
        if (value !== null && Number.isInteger(rev) && rev > 0) found.set(commentIds[i]!, rev);
      });
      return found;
    },
    async note(commentId, rev) {
      await redis.eval(RAISE, 1, `${prefix}${commentId}`, String(rev), String(LIFE_MS));
    },
  };
}

/**
 * The store on its own connection to `url` (a URL or a socket path). Unlike the queue's, it fails at
 * once while Redis is away rather than waiting for it: the reader then knows only its own writes.
 */
export function revisionsAt(url: string): RevisionStore {
  const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false } as const;
  const redis = url.startsWith("/") ? new Redis({ ...options, path: url }) : new Redis(url, options);
  redis.on("error", () => undefined);
  return redisRevisions(redis);
}
