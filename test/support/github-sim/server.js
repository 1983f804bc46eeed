import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { HttpError } from "./http-error.js";
const PREFIX = "/api/v3";
export class SimServer {
  s;
  auth;
  router;
  checker;
  requests = [];
  openapiErrors = [];
  faults = [];
  server;
  constructor(s, auth, router, checker) {
    this.s = s;
    this.auth = auth;
    this.router = router;
    this.checker = checker;
  }
  async listen() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address();
    return `http://127.0.0.1:${port}`;
  }
  async close() {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(() => resolve()));
  }
  addFault(spec) {
    this.faults.push({ ...spec, left: spec.times ?? 1 });
  }
  async handle(req, res) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.s.origin);
    const method = (req.method ?? "GET").toUpperCase();
    const prefixed = url.pathname.startsWith(`${PREFIX}/`);
    const path = prefixed ? url.pathname.slice(PREFIX.length) : url.pathname;
    const entry = { method, path: path + url.search, status: 0, body: undefined, response: undefined };
    this.requests.push(entry);
    let reply;
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
    }
    entry.status = reply.status;
    entry.response = reply.raw ? String(reply.raw.text) : reply.body;
    this.write(res, reply);
  }
  async serve(r) {
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
    let actor;
    if (found.route.auth === "jwt") {
      this.auth.checkJwt(authorization);
      actor = this.s.app.slug;
    } else {
      this.auth.checkToken(authorization);
      actor = this.s.botLogin;
    }
    const problems = this.checker.validate(op.op, url.searchParams, r.body, r.hasBody);
    if (problems.length > 0) {
      for (const problem of problems) this.openapiErrors.push(`${where} (${op.op.operationId}): ${problem}`);
      throw new HttpError(422, `Invalid request.\n\n${problems.join("\n")}`);
    }
    const ctx = {
      s: this.s,
      method,
      path,
      params: found.params,
      query: url.searchParams,
      body: r.body,
      headers: r.req.headers,
      actor,
      repo: () => this.s.repo(found.params.owner ?? "", found.params.repo ?? ""),
      page: (items) => this.page(url, items, r.res),
      setHeader: (name, value) => r.res.setHeader(name, value),
    };
    return found.route.handler(ctx);
  }
  takeFault(method, path) {
    const index = this.faults.findIndex((f) => (!f.method || f.method.toUpperCase() === method) && f.path.test(path));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }
  page(url, items, res) {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page")) || this.s.options.perPage));
    const page = Math.max(1, Number(url.searchParams.get("page")) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    if (last > 1) {
      const link = (n, rel) => {
        const target = new URL(url.href);
        target.searchParams.set("page", String(n));
        return `<${target.href}>; rel="${rel}"`;
      };
      const links = [];
      if (page > 1) links.push(link(page - 1, "prev"));
      if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
      if (page > 1) links.push(link(1, "first"));
      res.setHeader("link", links.join(", "));
    }
    return items.slice((page - 1) * perPage, page * perPage);
  }
  write(res, reply) {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const used = this.requests.length;
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
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "Problems parsing JSON");
  }
}
//# sourceMappingURL=server.js.map
