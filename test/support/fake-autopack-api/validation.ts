import type { z } from "zod";

/** One entry of FastAPI's 422 `detail` list. */
export interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const locOf = (path: readonly PropertyKey[]): (string | number)[] => ["body", ...path.map((p) => (typeof p === "number" ? p : String(p)))];

/** Zod's complaints about a body, the way FastAPI (pydantic) words them. */
export function toValidationDetails(error: z.ZodError, body: unknown): ValidationDetail[] {
  return error.issues.flatMap((issue): ValidationDetail[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ loc: locOf([...issue.path, key]), msg: "extra fields not permitted", type: "value_error.extra" }));
    }
    if (issue.code === "invalid_type" && valueAt(body, issue.path) === undefined) {
      return [{ loc: locOf(issue.path), msg: "field required", type: "value_error.missing" }];
    }
    return [{ loc: locOf(issue.path), msg: issue.message, type: `value_error.${issue.code}` }];
  });
}

/** `body.run.run_id: field required; …`, for the fake's list of refused bodies. */
export function describeDetails(details: ValidationDetail[]): string {
  return details
    .map((d) => `${d.loc.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("")}: ${d.msg}`)
    .join("; ");
}
