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
 * whose `on` keeps them and a queue that notes what they queued. A delivery whose handler queued a
 * job under its id is `queued`, one it returned from is `ignored`, one it threw on is `failed`; an
 * event no handler listens to is `ignored`.
 *
 * Probot hears every delivery through one listener of its own, which hands it to the handlers of its
 * event (`issues.labeled`, then `issues`). One listener, not one per handler plus one for the rest:
 * Probot builds a context (an installation client and a logger) for each listener a delivery matches.
 */
export function meterWebhooks(probot: Probot, queue: AppQueue, metrics: AppMetrics): { probot: Probot; queue: AppQueue } {
  const queued = new Set<string>();
  const handlers = new Map<string, Handler[]>();
  const counted = async (handler: Handler, context: Context, event: string) => {
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
    for (const event of [events].flat()) handlers.set(event, [...(handlers.get(event) ?? []), handler]);
  };
  probot.onAny(async (context) => {
    const event = eventName(context);
    const ofAction = event === context.name ? undefined : handlers.get(event);
    const ofEvent = handlers.get(context.name);
    const matched = ofAction && ofEvent ? [...ofAction, ...ofEvent] : (ofAction ?? ofEvent ?? []);
    if (matched.length === 0) return metrics.webhook(event, "ignored");
    if (matched.length === 1) return counted(matched[0]!, context, event);
    // Each handler runs to its end even when another throws; the delivery fails with the first error.
    const outcomes = await Promise.allSettled(matched.map((handler) => counted(handler, context, event)));
    const failed = outcomes.find((outcome) => outcome.status === "rejected");
    if (failed) throw failed.reason;
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
