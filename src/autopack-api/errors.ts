import type { z } from "zod";
import { ErrorBodySchema } from "./schemas.js";

/** `["body", "phases", 0, "name"]` -> `body.phases[0].name`. */
export function renderLoc(loc: readonly (string | number | symbol)[]): string {
  let out = "";
  for (const part of loc) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One line per problem of a zod error: `phases[0].name: Invalid input: expected string, received undefined`. */
export function renderZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = renderLoc(issue.path);
      return where === "" ? issue.message : `${where}: ${issue.message}`;
    })
    .join("; ");
}

const MAX_TEXT = 500;

/**
 * A readable message from an error answer: FastAPI's 422 list as `body.phases[0].name: field required`,
 * its `detail` string otherwise, or the start of whatever text came back.
 */
export function renderErrorBody(body: unknown): string {
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const { detail } = parsed.data;
    if (typeof detail === "string") return detail;
    return detail.map((item) => (item.loc.length > 0 ? `${renderLoc(item.loc)}: ${item.msg}` : item.msg)).join("; ");
  }
  if (typeof body === "string") return body.length > MAX_TEXT ? `${body.slice(0, MAX_TEXT)}…` : body;
  if (body === null || body === undefined) return "";
  const text = JSON.stringify(body);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** The `detail` string of an error answer, when it is one. */
export function errorDetail(body: unknown): string | null {
  const parsed = ErrorBodySchema.safeParse(body);
  return parsed.success && typeof parsed.data.detail === "string" ? parsed.data.detail : null;
}
