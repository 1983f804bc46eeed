import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mendSharedThrottling } from "../github/shared-throttling.js";
import { BullQueue } from "../queue/bullmq-queue.js";
import type { AppJobHandler, AppQueue, AppQueuedJob, Job } from "../supervisor/jobs.js";

/**
 * What one process does. `all` (the default) receives webhooks and runs jobs; with Redis, `web`
 * only receives webhooks and queues them, and `worker` only runs jobs (and serves its health, readiness and metrics).
 */
export type Role = "all" | "web" | "worker";

export interface RolePlan {
  /** Serve GitHub's webhooks. */
  webhooks: boolean;
  /** Run jobs from the queue. */
  jobs: boolean;
  /** Re-reconcile open runs when the process starts. */
  sweep: boolean;
}

export function rolePlan(role: Role): RolePlan {
  return { webhooks: role !== "worker", jobs: role !== "web", sweep: role !== "web" };
}

type OnError = (error: unknown, item: AppQueuedJob, attempt: number, final: boolean) => void;

/**
 * The queue of a process on Redis: BullMQ, shared by every process on the same Redis; a `web`
 * process only adds to it.
 */
export function redisQueue(redisUrl: string, role: Role, leaseMs?: number): (handler: AppJobHandler, onError: OnError) => AppQueue {
  // Probot's throttling shares the same Redis: it must survive that Redis restarting empty.
  mendSharedThrottling();
  return (handler, onError) =>
    new BullQueue<Job>({ redisUrl, ...(rolePlan(role).jobs ? { handler } : {}), onError, ...(leaseMs !== undefined ? { leaseMs } : {}) });
}

/** A Node handler as Probot's server takes them: true when it answered. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean | void | Promise<boolean | void>;

/**
 * A worker's HTTP server: the handlers the app added (`GET /healthz`, `/readyz`, `/metrics`), and 404
 * for anything else.
 */
export async function serveWorker(host: string | undefined, port: number, handlers: RouteHandler[]): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      for (const handler of handlers) if (await handler(req, res)) return;
      res.writeHead(404).end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host ?? "localhost", resolve));
  return server;
}
