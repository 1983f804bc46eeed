import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";

/** Answers null when the process can do its work, or what stops it. */
export type Readiness = () => Promise<string | null>;

/** How long `/readyz` waits for the queue's store before it says no. */
const READY_TIMEOUT_MS = 2_000;

/**
 * The operations endpoints, on the app's own HOST:PORT: `GET /metrics` (Prometheus text),
 * `GET /healthz` (the process is up: always 200) and `GET /readyz` (200 when the queue, and Redis
 * behind it, answer; 503 with the reason otherwise). A Node handler as Probot's server takes it:
 * true when it answered.
 */
export function opsRoutes(registry: Registry, ready: Readiness): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = (req.url ?? "").split("?")[0];
    switch (path) {
      case "/metrics": {
        const body = await registry.metrics();
        res.writeHead(200, { "content-type": registry.contentType }).end(body);
        return true;
      }
      case "/healthz":
        res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
        return true;
      case "/readyz": {
        const problem = await withTimeout(ready());
        if (problem === null) res.writeHead(200, { "content-type": "text/plain" }).end("ready\n");
        else res.writeHead(503, { "content-type": "text/plain" }).end(`not ready: ${problem}\n`);
        return true;
      }
      default:
        return false;
    }
  };
}

async function withTimeout(check: Promise<string | null>): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.catch((error: unknown) => (error instanceof Error ? error.message : String(error))), late]);
  } finally {
    clearTimeout(timer);
  }
}
