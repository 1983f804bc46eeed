import { createHash } from "node:crypto";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
const SPEC_FILE = "generated/api.github.com.deref.json";
const INDEX_VERSION = 1;
let pending;
/** GitHub's REST description, reduced to what request checks need: loaded once per process. */
export function loadOpenApiIndex() {
  pending ??= load();
  return pending;
}
async function load() {
  const started = performance.now();
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve("@octokit/openapi/package.json"));
  const specPath = join(pkgDir, SPEC_FILE);
  const info = await stat(specPath);
  const key = createHash("sha1").update(`${INDEX_VERSION}:${specPath}:${info.size}:${info.mtimeMs}`).digest("hex").slice(0, 16);
  const cachePath = join(tmpdir(), `github-sim-openapi-${key}.json`);
  try {
    const operations = JSON.parse(await readFile(cachePath, "utf8"));
    return { operations, loadMs: performance.now() - started, fromCache: true };
  } catch {
    // no cache yet: build it from the full description
  }
  const spec = JSON.parse(await readFile(specPath, "utf8"));
  const operations = reduce(spec.paths);
  const tmp = `${cachePath}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(operations));
    await rename(tmp, cachePath);
  } catch {
    // a cache is an optimisation only
  }
  return { operations, loadMs: performance.now() - started, fromCache: false };
}
const METHODS = new Set(["get", "post", "put", "patch", "delete", "head"]);
function reduce(paths) {
  const out = [];
  for (const [template, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method) || !op.operationId) continue;
      const query = (op.parameters ?? [])
        .filter((p) => p.in === "query")
        .map((p) => ({ name: p.name, required: p.required === true, type: p.schema?.type, enum: p.schema?.enum }));
      const content = op.requestBody?.content;
      const jsonSchema = content?.["application/json"]?.schema;
      out.push({
        method: method.toUpperCase(),
        template,
        operationId: op.operationId,
        query,
        body: jsonSchema === undefined ? undefined : toJsonSchema(jsonSchema, true),
        bodyRequired: op.requestBody?.required === true,
        bodyTypes: content ? Object.keys(content) : undefined,
      });
    }
  }
  return out;
}
const ANNOTATIONS = new Set([
  "description",
  "example",
  "examples",
  "title",
  "externalDocs",
  "deprecated",
  "readOnly",
  "writeOnly",
  "xml",
  "discriminator",
]);
/**
 * OpenAPI 3.0 schema -> plain JSON Schema: `nullable` becomes a null type, annotations go, and the
 * body's top-level object refuses unknown keys (GitHub answers "is not a permitted key").
 */
export function toJsonSchema(schema, topLevel = false) {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s));
  if (typeof schema !== "object" || schema === null) return schema;
  const src = schema;
  const out = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === "nullable" || key.startsWith("x-")) continue;
    if (ANNOTATIONS.has(key)) continue;
    if ((key === "properties" || key === "patternProperties") && value && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    } else if (key === "enum" || key === "required" || key === "default" || key === "const") {
      out[key] = value;
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (topLevel && out.type === "object" && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (src.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}
//# sourceMappingURL=openapi-index.js.map
