import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import { ProbotOctokit } from "probot";

/** The two errors Bottleneck's Lua scripts raise to ask for a recovery, as Redis 7 words them ("ERR " before). */
const RECOVERABLE = /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/;

type ScriptFn = (...args: unknown[]) => Promise<unknown>;
interface WithScripts {
  __scriptFn__(name: string): ScriptFn;
}

let mended = false;

/**
 * With REDIS_URL, Probot's GitHub throttling is Bottleneck on that Redis, shared by every process.
 * Bottleneck recovers from a Redis that lost its keys (restarted empty) by re-creating its settings
 * and registering again, on the errors `SETTINGS_KEY_NOT_FOUND` and `UNKNOWN_CLIENT`; Redis 7 puts
 * "ERR " before these, Bottleneck 2.19.5 no longer recognises them, and every GitHub call of the
 * process fails from then on. This gives Bottleneck the words it expects. Idempotent.
 */
export function mendSharedThrottling(): void {
  if (mended) return;
  mended = true;
  const proto = Bottleneck.IORedisConnection.prototype as unknown as WithScripts;
  const original = proto.__scriptFn__;
  proto.__scriptFn__ = function (this: WithScripts, name: string): ScriptFn {
    const run = original.call(this, name);
    // Bottleneck hears the answer through the callback, the last argument.
    return (...args) => {
      const callback = args.at(-1);
      if (typeof callback === "function") {
        args[args.length - 1] = (error: unknown, replies: unknown) => {
          if (error instanceof Error && RECOVERABLE.test(error.message)) error.message = error.message.slice("ERR ".length);
          callback(error, replies);
        };
      }
      return run(...args);
    };
  };
}

/** The spacing GitHub asks for between one installation's writes, and between its notifying writes. */
const WRITE_SPACING_MS = 1_000;
const NOTIFYING_SPACING_MS = 3_000;
/** How long an idle installation's limiter keeps its keys in Redis (Probot's throttling uses the same). */
const IDLE_KEYS_MS = 2 * 60_000;

/** The throttling groups an Octokit's `throttle` option takes in place of its own (plugin-throttling's `state`). */
export interface ThrottleGroups {
  global: Bottleneck.Group;
  auth: Bottleneck.Group;
  write: Bottleneck.Group;
  notifications: Bottleneck.Group;
}

/**
 * GitHub's throttling for processes that share `redis`. plugin-throttling, given a Redis connection,
 * shares its concurrency slots there too, and a job's slot is freed by the process that holds it or
 * after 60 s: a process killed while it held an installation's one write slot stopped every process's
 * writes for that installation for a minute. So only the spacing is shared, which a dead process
 * cannot hold: a second between an installation's writes and three between its notifying writes,
 * across all processes. The in-flight limits (ten requests and one token exchange per installation)
 * are each process's own.
 */
export function sharedThrottleGroups(redis: Redis): ThrottleGroups {
  const connection = new Bottleneck.IORedisConnection({ client: redis });
  // Bottleneck reports a lost connection here; ioredis reconnects by itself.
  connection.on("error", () => undefined);
  const shared = { connection, timeout: IDLE_KEYS_MS };
  return {
    global: new Bottleneck.Group({ maxConcurrent: 10 }),
    auth: new Bottleneck.Group({ maxConcurrent: 1 }),
    write: new Bottleneck.Group({ id: "autopack-write", minTime: WRITE_SPACING_MS, ...shared }),
    notifications: new Bottleneck.Group({ id: "autopack-notifications", minTime: NOTIFYING_SPACING_MS, ...shared }),
  };
}

/** Probot's Octokit with `sharedThrottleGroups` on the Redis at `redisUrl` (a URL or a socket path). */
export function octokitThrottledOn(redisUrl: string): typeof ProbotOctokit {
  mendSharedThrottling();
  const redis = new Redis(redisUrl);
  // ioredis reconnects by itself; without a listener an "error" event would end the process.
  redis.on("error", () => undefined);
  const groups = sharedThrottleGroups(redis);
  // A function, so the groups survive Probot's own defaults, which set `throttle` whole.
  return ProbotOctokit.defaults((options: ConstructorParameters<typeof ProbotOctokit>[0] = {}) => ({
    ...options,
    throttle: { ...options.throttle, ...groups },
  }));
}
