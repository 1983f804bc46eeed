import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { route, type Answer, type ServiceState } from "./routes.js";
import { serviceModels } from "./schemas.js";
import type { FakeRun } from "./state.js";

export interface FakeAutopackApiOptions {
  /** When set, every request but `/health` needs this `X-API-Key` (401 without, 403 when wrong). */
  apiKey?: string;
  /** Default true: 422 on undeclared fields, like newer services; false: ignore them, like older ones. */
  strictUnknownFields?: boolean;
}

export interface RecordedCall {
  method: string;
  /** Path and query, as sent (ids still URL-encoded). */
  path: string;
  /** Parsed JSON, the raw text when it is not JSON, undefined when there was none. */
  body: unknown;
  status: number;
  apiKey: string | undefined;
}

export interface FaultSpec {
  /** Matched against the path without its query (`/runs/start`); every path when absent. */
  path?: RegExp;
  method?: string;
  status: number;
  /** How many requests fail; default 1. `Infinity` for a lasting fault. */
  times?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (to make the client time out). */
  delayMs?: number;
}

export interface FakeAutopackApi {
  url: string;
  calls: RecordedCall[];
  /** Every body the service refused as invalid (or that named another run/phase than its path): a test fails on any. */
  invalidBodies: string[];
  runs: Map<string, FakeRun>;
  /** Answers the next matching request(s) with `status`, before authentication and validation. */
  fail(spec: FaultSpec): void;
  /** An outage: open connections are dropped and every new one is reset at once, until `up()`. */
  down(): Promise<void>;
  /** Ends the outage. */
  up(): Promise<void>;
  close(): Promise<void>;
}

function readRaw(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseForRecord(raw: string): unknown {
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A fake orchestrator over real HTTP on 127.0.0.1 (random port), behaving as its API description says. */
export async function startFakeAutopackApi(options: FakeAutopackApiOptions = {}): Promise<FakeAutopackApi> {
  const state: ServiceState = { runs: new Map(), invalidBodies: [], models: serviceModels(options.strictUnknownFields ?? true) };
  const calls: RecordedCall[] = [];
  const faults: (FaultSpec & { left: number })[] = [];

  function takeFault(method: string, pathname: string): (Answer & { delayMs?: number }) | null {
    const fault = faults.find((f) => f.left > 0 && (!f.path || f.path.test(pathname)) && (!f.method || f.method === method));
    if (!fault) return null;
    fault.left -= 1;
    const body = fault.body ?? { detail: `Injected failure (${fault.status})` };
    return { status: fault.status, body, headers: fault.headers, delayMs: fault.delayMs };
  }

  function authenticate(pathname: string, key: string | undefined): Answer | null {
    if (options.apiKey === undefined || pathname === "/health") return null;
    if (key === undefined) return { status: 401, body: { detail: "Missing API key" } };
    return key === options.apiKey ? null : { status: 403, body: { detail: "Invalid API key" } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readRaw(req);
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const header = req.headers["x-api-key"];
    const apiKey = Array.isArray(header) ? header[0] : header;
    let answer: Answer & { delayMs?: number };
    try {
      answer = takeFault(method, url.pathname) ?? authenticate(url.pathname, apiKey) ?? route(state, method, url, raw);
    } catch (error) {
      answer = { status: 500, body: { detail: `Fake failed: ${error instanceof Error ? error.message : String(error)}` } };
    }
    calls.push({ method, path: url.pathname + url.search, body: parseForRecord(raw), status: answer.status, apiKey });
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (res.destroyed) return;
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  // An outage keeps the port: closing the server and listening on the same port again later would race
  // every server started meanwhile (another test file's could take the port and get our client's
  // requests). While down, each connection is reset (RST: the client sees ECONNRESET at once).
  let isDown = false;
  server.on("connection", (socket) => {
    if (isDown) socket.resetAndDestroy();
  });
  const port = await listen(server);

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    invalidBodies: state.invalidBodies,
    runs: state.runs,
    fail: (spec) => void faults.push({ ...spec, left: spec.times ?? 1 }),
    down: async () => {
      isDown = true;
      server.closeAllConnections();
    },
    up: async () => {
      isDown = false;
    },
    close: () => stop(server),
  };
}
