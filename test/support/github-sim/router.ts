import type { IncomingHttpHeaders } from "node:http";
import type { SimState } from "./state.js";
import type { RepoState } from "./types.js";

export interface RouteContext {
  s: SimState;
  method: string;
  /** Path below `/api/v3`, without the query. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  // Route bodies were checked against GitHub's schema before a handler runs.
  body: any;
  headers: IncomingHttpHeaders;
  /** Login the request acts as: the app's bot for installation tokens. */
  actor: string;
  /** The installation whose token the request carries (none with the app's JWT). */
  installationId?: number;
  repo(): RepoState;
  /** One page of a list, per `per_page`/`page`, with GitHub's `Link` header set. */
  page<T>(items: T[]): T[];
  setHeader(name: string, value: string): void;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** A non-JSON body (raw file contents). */
  raw?: { text: Buffer | string; contentType: string };
}

export type Handler = (ctx: RouteContext) => Reply;

export interface Route {
  method: string;
  auth: "jwt" | "token";
  segments: string[];
  handler: Handler;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });

/** True when the Accept header asks for a media type format ("raw", "diff"), as `mediaType.format` sends it. */
export function wantsFormat(ctx: RouteContext, format: string): boolean {
  return new RegExp(`application/vnd\\.github(\\.v3)?\\.${format}\\b`).test(String(ctx.headers.accept ?? ""));
}

/** A text answer in a media type format (the diff of a pull request or comparison). */
export const diffReply = (text: string): Reply => ({
  status: 200,
  raw: { text, contentType: "application/vnd.github.diff; charset=utf-8" },
});
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

/**
 * Routes written as "GET /repos/:owner/:repo/git/ref/*ref": `:name` is one path segment,
 * `*name` (last only) the rest of the path, slashes included.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(spec: string, handler: Handler, auth: "jwt" | "token" = "token"): this {
    const [method, pattern] = spec.split(" ") as [string, string];
    this.routes.push({ method, auth, segments: pattern.split("/").slice(1), handler });
    return this;
  }

  match(method: string, rawPath: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = rawPath.split("/").slice(1);
    const greedy = (route: Route) => route.segments.some((seg) => seg.startsWith("*"));
    for (const pass of [false, true]) {
      for (const route of this.routes) {
        if (route.method !== method || greedy(route) !== pass) continue;
        const params = matchSegments(route.segments, parts);
        if (params) return { route, params };
      }
    }
    return undefined;
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i]!;
    if (seg.startsWith("*")) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.some((p) => p === "")) return undefined;
      params[seg.slice(1)] = rest.map(safeDecode).join("/");
      return params;
    }
    const part = parts[i];
    if (part === undefined || part === "") return undefined;
    if (seg.startsWith(":")) {
      // GitHub's numeric parameters (issue_number, comment_id, ...) never match words like "comments".
      if (/_(number|id)$/.test(seg) && !/^\d+$/.test(part)) return undefined;
      params[seg.slice(1)] = safeDecode(part);
    } else if (seg !== part) return undefined;
  }
  return parts.length === pattern.length ? params : undefined;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
