import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";

/** GitHub caps webhook payloads at 25 MB; a bigger body is not GitHub's. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/** A Node middleware as Probot's server and `createNodeMiddleware` call it: true when it answered. */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next?: () => void) => Promise<boolean> | boolean;

/**
 * Reads a POST body before `inner` sees the request, refusing one over `maxBytes` with 413 while it
 * streams in: a declared `content-length` over the limit is refused before a byte is read, and a
 * chunked body is counted as it comes and refused (and dropped) the moment it passes the limit, so an
 * unauthenticated sender can never make the process hold more than the limit. A body within the limit
 * is handed on already read (`req.body`, which the webhooks middleware takes as the payload, so its
 * signature is checked over exactly these bytes).
 */
export function limitBody(inner: NodeMiddleware, maxBytes = MAX_WEBHOOK_BYTES): NodeMiddleware {
  return async (req, res, next) => {
    if (req.method !== "POST") return inner(req, res, next);
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) return refuse(req, res, maxBytes);
    const body = await readUpTo(req, maxBytes);
    if (body === "too-large") return refuse(req, res, maxBytes);
    if (body === "aborted") {
      res.destroy();
      return true;
    }
    (req as IncomingMessage & { body?: string }).body = body.toString("utf8");
    return inner(req, res, next);
  };
}

/**
 * Puts the limit in front of Probot's webhook middleware, wherever it is mounted: Probot's own server
 * (`run()`) and `createNodeMiddleware` both ask the Probot instance for it after the app is loaded.
 */
export function limitWebhookBodies(probot: Probot, maxBytes = MAX_WEBHOOK_BYTES): void {
  const original = probot.getNodeMiddleware.bind(probot);
  probot.getNodeMiddleware = async (options) => limitBody(await original(options), maxBytes) as Awaited<ReturnType<typeof original>>;
}

function readUpTo(req: IncomingMessage, maxBytes: number): Promise<Buffer | "too-large" | "aborted"> {
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | "too-large" | "aborted") => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop reading, and let go of what was read.
        chunks = [];
        req.pause();
        finish("too-large");
        return;
      }
      chunks.push(chunk);
    };
    // Most deliveries come in one chunk: that one is handed on as it is, without a copy.
    const onEnd = () => finish(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onAbort = () => finish("aborted");
    const onClose = () => {
      if (!req.complete) finish("aborted");
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("close", onClose);
  });
}

/** 413, then the connection goes: the rest of the body is never read. */
function refuse(req: IncomingMessage, res: ServerResponse, maxBytes: number): true {
  res.once("finish", () => setImmediate(() => req.socket.destroy()));
  res.writeHead(413, { "content-type": "application/json", connection: "close" });
  res.end(JSON.stringify({ error: `Payload too large: webhook bodies are at most ${maxBytes} bytes` }));
  return true;
}
