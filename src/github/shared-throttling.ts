import Bottleneck from "bottleneck";

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
