import type { Probot } from "probot";
import type { AppQueue } from "../supervisor/jobs.js";
import type { AppMetrics } from "../observability/metrics.js";

type Context = { id: string; name: string; payload: unknown };
type Handler = (context: Context) => Promise<void>;

/** `issues.labeled`, or the bare name of an event without an action (`status`). */
function eventName(context: Context): string {
  const action = (context.payload as { action?: unknown } | null)?.action;
  return typeof action === "string" ? `${context.name}.${action}` : context.name;
}

/**
 * Counts each webhook by event and outcome without the handlers knowing: the handlers get a Probot
 * whose `on` wraps them and a queue that notes what they queued. A delivery whose handler queued a
 * job under its id is `queued`, one it returned from is `ignored`, one it threw on is `failed`; an
 * event no handler listens to is `ignored`.
 */
export function meterWebhooks(probot: Probot, queue: AppQueue, metrics: AppMetrics): { probot: Probot; queue: AppQueue } {
  const queued = new Set<string>();
  const listened = new Set<string>();
  const wrap =
    (handler: Handler): Handler =>
    async (context) => {
      const event = eventName(context);
      try {
        await handler(context);
        metrics.webhook(event, queued.has(context.id) ? "queued" : "ignored");
      } catch (error) {
        metrics.webhook(event, "failed");
        throw error;
      } finally {
        queued.delete(context.id);
      }
    };
  const on = (events: string | string[], handler: Handler) => {
    for (const event of [events].flat()) listened.add(event);
    (probot.on as (events: string | string[], handler: Handler) => void)(events, wrap(handler));
  };
  probot.onAny(async (context) => {
    if (!listened.has(context.name) && !listened.has(eventName(context))) metrics.webhook(eventName(context), "ignored");
  });
  const noting: AppQueue = new Proxy(queue, {
    get(target, key) {
      if (key === "enqueue") return (item: Parameters<AppQueue["enqueue"]>[0]) => (queued.add(item.id), target.enqueue(item));
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const metered = new Proxy(probot, {
    get(target, key) {
      if (key === "on") return on;
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { probot: metered, queue: noting };
}
