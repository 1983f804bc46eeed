import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
// ajv-formats is CommonJS with a default export; under NodeNext the namespace may wrap it.
const addFormats = addFormatsModule.default ?? addFormatsModule;
/** Finds GitHub's operation for a request and checks its query and JSON body against it. */
export class OpenApiChecker {
  byMethod = new Map();
  validators = new Map();
  ajv;
  constructor(index) {
    for (const op of index.operations) {
      const list = this.byMethod.get(op.method) ?? [];
      list.push(compile(op));
      this.byMethod.set(op.method, list);
    }
    for (const list of this.byMethod.values()) list.sort((a, b) => b.literalLength - a.literalLength);
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
    addFormats(this.ajv);
  }
  /** The operation whose path template matches `path` (GitHub.com form, no `/api/v3`). */
  match(method, path) {
    const list = this.byMethod.get(method.toUpperCase()) ?? [];
    for (const route of list) if (route.strict.test(path)) return { op: route.op };
    for (const route of list) if (route.greedy?.test(path)) return { op: route.op };
    return undefined;
  }
  /** Problems with the request's query and body, as messages; empty when it conforms. */
  validate(op, query, body, hasBody) {
    const problems = [];
    for (const param of op.query) {
      const value = query.get(param.name);
      if (value === null) {
        if (param.required) problems.push(`query parameter "${param.name}" is required`);
        continue;
      }
      if (param.enum && !param.enum.map(String).includes(value)) {
        problems.push(`query parameter "${param.name}" must be one of ${param.enum.join(", ")} (got "${value}")`);
      } else if (param.type === "integer" && !/^-?\d+$/.test(value)) {
        problems.push(`query parameter "${param.name}" must be an integer (got "${value}")`);
      } else if (param.type === "boolean" && value !== "true" && value !== "false") {
        problems.push(`query parameter "${param.name}" must be true or false (got "${value}")`);
      }
    }
    if (!hasBody) {
      if (op.bodyRequired) problems.push("a request body is required");
      return problems;
    }
    if (op.body === undefined) {
      if (!op.bodyTypes && isNonEmptyObject(body)) problems.push("this operation takes no request body");
      return problems;
    }
    const validator = this.validator(op);
    if (!validator(body)) {
      problems.push(this.ajv.errorsText(validator.errors, { dataVar: "body", separator: "; " }));
    }
    return problems;
  }
  validator(op) {
    let fn = this.validators.get(op.operationId);
    if (!fn) {
      fn = this.ajv.compile(op.body);
      this.validators.set(op.operationId, fn);
    }
    return fn;
  }
}
function isNonEmptyObject(value) {
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === "object" && value !== null && Object.keys(value).length > 0;
}
function compile(op) {
  const parts = op.template.split("/");
  let literalLength = 0;
  const segments = parts.map((part) => {
    literalLength += part.replace(/\{[^}]+\}/g, "").length;
    return part
      .split(/(\{[^}]+\})/)
      .map((piece) => (piece.startsWith("{") ? "([^/]+?)" : escape(piece)))
      .join("");
  });
  const strict = new RegExp(`^${segments.join("/")}$`);
  const last = parts[parts.length - 1] ?? "";
  const greedy = /^\{[^}]+\}$/.test(last) ? new RegExp(`^${segments.slice(0, -1).join("/")}/(.+)$`) : undefined;
  return { op, strict, greedy, literalLength };
}
function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
//# sourceMappingURL=openapi-check.js.map
