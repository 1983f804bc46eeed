import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AppAuth } from "./auth.js";
import { HttpError } from "./http-error.js";
import type { OpenApiChecker } from "./openapi-check.js";
import type { Reply, RouteContext, Router } from "./router.js";
import type { SimState } from "./state.js";

export interface RequestLogEntry {
  method: string;
  /** Path below `/api/v3`, with the query string. */
  path: string;
  status: number;
  /** The request's JSON body, if any. */
  body: unknown;
  /** The answer's JSON body (or text), for debugging. */
  response: unknown;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface FaultSpec {
  method?: string;
  /** Tested against the path below `/api/v3`, without the query string. */
  path: RegExp;
  /** Answer with this status; leave out to only delay the request and then serve it. */
  status?: number;
  /** How many matching requests to affect (default 1; Infinity for all). */
  times?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
}

const PREFIX = "/api/v3";

interface Incoming {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Below `/api/v3`, without the query. */
  path: string;
  url: URL;
  body: unknown;
  hasBody: boolean;
  prefixed: boolean;
}

export class SimServer {
  readonly requests: RequestLogEntry[] = [];
  readonly openapiErrors: string[] = [];
  /** Requests being served now, and the most there were at once. */
  readonly inFlight = { now: 0, peak: 0 };
  /** Requests the rate limit counts (a 304 is free). */
  private rateLimited = 0;
  private readonly faults: (FaultSpec & { left: number })[] = [];
  private server?: Server;

  constructor(
    private readonly s: SimState,
    private readonly auth: AppAuth,
    private readonly router: Router,
    private readonly checker: OpenApiChecker,
  ) {}

  async listen(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Connections stay open between requests, as GitHub's do: a client keeps an idle socket until a
    // second before the server's timeout (undici does), so a 1 s timeout would mean a new connection
    // for every request, a cost the app does not have against GitHub.
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addFault(spec: FaultSpec): void {
    this.faults.push({ ...spec, left: spec.times ?? 1 });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.s.origin);
    const method = (req.method ?? "GET").toUpperCase();
    const prefixed = url.pathname.startsWith(`${PREFIX}/`);
    const path = prefixed ? url.pathname.slice(PREFIX.length) : url.pathname;
    const entry: RequestLogEntry = { method, path: path + url.search, status: 0, body: undefined, response: undefined, at: Date.now() };
    this.requests.push(entry);
    let reply: Reply & { headers?: Record<string, string> };
    this.inFlight.now++;
    this.inFlight.peak = Math.max(this.inFlight.peak, this.inFlight.now);
    try {
      const hasBody = rawBody.trim() !== "";
      entry.body = hasBody ? parseJson(rawBody) : undefined;
      reply = await this.serve({ req, res, method, path, url, body: entry.body, hasBody, prefixed });
    } catch (error) {
      if (error instanceof HttpError) reply = { status: error.status, body: error.body, headers: error.headers };
      else {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        this.openapiErrors.push(`${method} ${path}: simulator error: ${message}`);
        reply = { status: 500, body: { message: "Server Error" } };
      }
    } finally {
      this.inFlight.now--;
    }
    entry.response = reply.raw ? String(reply.raw.text) : reply.body;
    reply = this.conditional(req, method, reply);
    entry.status = reply.status;
    if (reply.status !== 304) this.rateLimited += 1;
    this.write(res, reply);
  }

  /**
   * GitHub's conditional requests: a GET's 200 carries an ETag (of its body alone, so a full first page
   * stays "not modified" when a later page changes), and a
   * request whose `If-None-Match` names it gets `304 Not Modified`, which the rate limit does not count.
   */
  private conditional(req: IncomingMessage, method: string, reply: Reply & { headers?: Record<string, string> }) {
    if (method !== "GET" || reply.status !== 200) return reply;
    const text = reply.raw ? String(reply.raw.text) : JSON.stringify(reply.body ?? null);
    const etag = `W/"${createHash("sha256").update(text).digest("hex").slice(0, 32)}"`;
    const headers = { ...reply.headers, etag };
    const asked = String(req.headers["if-none-match"] ?? "")
      .split(",")
      .map((t) => t.trim());
    return asked.includes(etag) ? { status: 304, headers } : { ...reply, headers };
  }

  private async serve(r: Incoming): Promise<Reply & { headers?: Record<string, string> }> {
    const { method, path, url } = r;
    const fault = this.takeFault(method, path);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status !== undefined) {
      return {
        status: fault.status,
        body: fault.body ?? { message: `Simulated ${fault.status}`, status: String(fault.status) },
        headers: fault.headers,
      };
    }
    const where = `${method} ${path}${url.search}`;
    if (!r.prefixed) {
      this.openapiErrors.push(`${where}: not under ${PREFIX}, which a GHE_HOST base URL always adds`);
      throw new HttpError(404, "Not Found");
    }
    const op = this.checker.match(method, path);
    if (!op) {
      this.openapiErrors.push(`${where}: no such operation in GitHub's REST API description`);
      throw new HttpError(404, "Not Found");
    }
    const found = this.router.match(method, path);
    if (!found) {
      this.openapiErrors.push(`${where}: ${op.op.operationId} is GitHub's, but the simulator does not implement it`);
      throw new HttpError(404, "Not Found");
    }
    const authorization = r.req.headers.authorization;
    let actor: string;
    let installationId: number | undefined;
    if (found.route.auth === "jwt") {
      this.auth.checkJwt(authorization);
      actor = this.s.app.slug;
    } else {
      installationId = this.auth.checkToken(authorization).installationId;
      actor = this.s.botLogin;
      // A token reaches only its own installation's repositories.
      const repo = found.params.owner && found.params.repo ? this.s.findRepo(found.params.owner, found.params.repo) : undefined;
      if (repo && this.s.installationOn(repo.owner).id !== installationId) {
        throw new HttpError(403, "Resource not accessible by integration");
      }
    }
    const problems = this.checker.validate(op.op, url.searchParams, r.body, r.hasBody);
    if (problems.length > 0) {
      for (const problem of problems) this.openapiErrors.push(`${where} (${op.op.operationId}): ${problem}`);
      throw new HttpError(422, `Invalid request.\n\n${problems.join("\n")}`);
    }
    const ctx: RouteContext = {
      s: this.s,
      method,
      path,
      params: found.params,
      query: url.searchParams,
      body: r.body,
      headers: r.req.headers,
      actor,
      ...(installationId !== undefined ? { installationId } : {}),
      repo: () => this.s.repo(found.params.owner ?? "", found.params.repo ?? ""),
      page: (items) => this.page(url, items, r.res),
      setHeader: (name, value) => r.res.setHeader(name, value),
    };
    return found.route.handler(ctx);
  }

  private takeFault(method: string, path: string): FaultSpec | undefined {
    const index = this.faults.findIndex((f) => (!f.method || f.method.toUpperCase() === method) && f.path.test(path));
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private page<T>(url: URL, items: T[], res: ServerResponse): T[] {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page")) || this.s.options.perPage));
    const page = Math.max(1, Number(url.searchParams.get("page")) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    if (last > 1) {
      const link = (n: number, rel: string) => {
        const target = new URL(url.href);
        target.searchParams.set("page", String(n));
        return `<${target.href}>; rel="${rel}"`;
      };
      const links: string[] = [];
      if (page > 1) links.push(link(page - 1, "prev"));
      if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
      if (page > 1) links.push(link(1, "first"));
      res.setHeader("link", links.join(", "));
    }
    return items.slice((page - 1) * perPage, page * perPage);
  }

  private write(res: ServerResponse, reply: Reply & { headers?: Record<string, string> }): void {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const used = this.rateLimited;
    res.setHeader("x-github-request-id", randomUUID().replace(/-/g, "").slice(0, 20).toUpperCase());
    res.setHeader("x-github-media-type", "github.v3; format=json");
    res.setHeader("x-ratelimit-limit", "5000");
    res.setHeader("x-ratelimit-remaining", String(Math.max(0, 5000 - used)));
    res.setHeader("x-ratelimit-used", String(used));
    res.setHeader("x-ratelimit-reset", String(reset));
    res.setHeader("x-ratelimit-resource", "core");
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    if (reply.raw) {
      res.writeHead(reply.status, { "content-type": reply.raw.contentType });
      res.end(reply.raw.text);
    } else if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status);
      res.end();
    } else {
      res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(reply.body));
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Problems parsing JSON");
  }
}
