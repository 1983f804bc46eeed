export const ok = (body) => ({ status: 200, body });
/** True when the Accept header asks for a media type format ("raw", "diff"), as `mediaType.format` sends it. */
export function wantsFormat(ctx, format) {
  return new RegExp(`application/vnd\\.github(\\.v3)?\\.${format}\\b`).test(String(ctx.headers.accept ?? ""));
}
/** A text answer in a media type format (the diff of a pull request or comparison). */
export const diffReply = (text) => ({
  status: 200,
  raw: { text, contentType: "application/vnd.github.diff; charset=utf-8" },
});
export const created = (body) => ({ status: 201, body });
export const noContent = () => ({ status: 204 });
/**
 * Routes written as "GET /repos/:owner/:repo/git/ref/*ref": `:name` is one path segment,
 * `*name` (last only) the rest of the path, slashes included.
 */
export class Router {
  routes = [];
  add(spec, handler, auth = "token") {
    const [method, pattern] = spec.split(" ");
    this.routes.push({ method, auth, segments: pattern.split("/").slice(1), handler });
    return this;
  }
  match(method, rawPath) {
    const parts = rawPath.split("/").slice(1);
    const greedy = (route) => route.segments.some((seg) => seg.startsWith("*"));
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
function matchSegments(pattern, parts) {
  const params = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i];
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
function safeDecode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
//# sourceMappingURL=router.js.map
