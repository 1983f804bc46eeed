import { AsyncLocalStorage } from "node:async_hooks";
import type { Log } from "../supervisor/deps.js";

/** The log of the job running in this async context, for code that is not handed it (Octokit's request lines). */
const current = new AsyncLocalStorage<Log>();

/** Jobs running in this process now. */
let running = 0;

/**
 * Runs a job with its log as the context's. While no job runs the context is switched off: on Node 20
 * a live AsyncLocalStorage sends every promise of the process through hooks, webhooks included, which
 * costs them about a tenth of their CPU (Node 24 and later keep a context without hooks).
 */
export async function runInJob<T>(log: Log, work: () => Promise<T>): Promise<T> {
  running += 1;
  try {
    return await current.run(log, work);
  } finally {
    running -= 1;
    if (running === 0) current.disable();
  }
}

const WRAPPED = Symbol("autopack.jobAwareLog");

type Level = "debug" | "info" | "warn" | "error";
/** A logger as Octokit calls it: pino's `(fields, message)`, or a message alone. */
type LooseLogger = Record<Level, (first: unknown, ...rest: unknown[]) => void>;

/**
 * A client's logger whose lines, written while a job runs, go through that job's log (so they carry
 * its delivery, repository, issue, run and phase); outside a job they go to `base` unchanged.
 */
export function jobAwareLog<L extends object>(base: L): L {
  // The app's own client is one shared object: it is wrapped once.
  if (WRAPPED in base) return base;
  const loose = base as unknown as LooseLogger;
  const levels: Level[] = ["debug", "info", "warn", "error"];
  const wrapped = Object.create(base, { [WRAPPED]: { value: true } }) as LooseLogger;
  for (const level of levels) {
    const original = loose[level].bind(base);
    wrapped[level] = (first, ...rest) => {
      const job = current.getStore();
      if (!job) return original(first, ...rest);
      const fields = typeof first === "object" && first !== null ? first : {};
      const message = typeof first === "string" ? first : typeof rest[0] === "string" ? rest[0] : "";
      job[level]({ ...fields, name: "github" }, message);
    };
  }
  return wrapped as unknown as L;
}
