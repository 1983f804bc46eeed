import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { postLarge } from "../../test/support/webhooks.js";
import { limitBody, MAX_WEBHOOK_BYTES } from "./body-limit.js";

const MB = 1024 * 1024;
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server whose middleware sits behind the limit; it records what reached it and what the socket read. */
async function serve() {
  const reached: { body: unknown; method: string | undefined }[] = [];
  const read: number[] = [];
  const limited = limitBody(async (req, res) => {
    reached.push({ body: (req as IncomingMessage & { body?: unknown }).body, method: req.method });
    res.writeHead(200).end("ok");
    return true;
  });
  server = createServer((req, res) => {
    res.on("finish", () => read.push(req.socket.bytesRead));
    void limited(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  return { url, reached, read };
}

describe("the webhook body limit", () => {
  it("refuses a 26 MB chunked body with 413 while it streams in; the middleware never receives it", async () => {
    const { url, reached, read } = await serve();
    const answer = await postLarge(url, 26 * MB);
    expect(answer.status).toBe(413);
    expect(reached).toEqual([]);
    // What the process read of the body when it answered: the limit and a chunk, never the whole of it.
    expect(read).toHaveLength(1);
    expect(read[0]).toBeGreaterThan(MAX_WEBHOOK_BYTES);
    expect(read[0]).toBeLessThan(26 * MB);
  }, 30_000);

  it("refuses a declared content-length over 25 MB before reading any of the body", async () => {
    const { url, reached, read } = await serve();
    const answer = await postLarge(url, 4 * MB, { contentLength: 26 * MB });
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeLessThan(26 * MB);
    expect(reached).toEqual([]);
    expect(read[0]).toBeLessThan(4 * MB);
  }, 30_000);

  it("hands a body within the limit on, read once, as the payload", async () => {
    const { url, reached } = await serve();
    const answer = await postLarge(url, 3 * MB);
    expect(answer.status).toBe(200);
    expect(reached).toHaveLength(1);
    const body = reached[0]!.body as string;
    expect(typeof body).toBe("string");
    expect(body.length).toBe(3 * MB + '{"padding":"'.length);
    const get = await fetch(url);
    expect(get.status).toBe(200);
    expect(reached[1]).toEqual({ body: undefined, method: "GET" });
  }, 30_000);
});
