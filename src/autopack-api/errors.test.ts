import { describe, expect, it } from "vitest";
import { RunStartRequestSchema } from "./schemas.js";
import { errorDetail, renderErrorBody, renderLoc, renderZodError } from "./errors.js";
import { parseRetryAfter } from "./request.js";

describe("error rendering", () => {
  it("renders FastAPI's 422 list readably", () => {
    const body = {
      detail: [
        { loc: ["body", "phases", 0, "name"], msg: "field required", type: "value_error.missing" },
        { loc: ["body", "run", "colour"], msg: "extra fields not permitted", type: "value_error.extra" },
      ],
    };
    expect(renderErrorBody(body)).toBe("body.phases[0].name: field required; body.run.colour: extra fields not permitted");
  });

  it("renders a detail string, text and other JSON", () => {
    expect(renderErrorBody({ detail: "Run x already exists" })).toBe("Run x already exists");
    expect(errorDetail({ detail: "Run x already exists" })).toBe("Run x already exists");
    expect(errorDetail({ detail: [] })).toBeNull();
    expect(renderErrorBody("Bad Gateway")).toBe("Bad Gateway");
    expect(renderErrorBody({ error: "x" })).toBe('{"error":"x"}');
    expect(renderErrorBody(null)).toBe("");
  });

  it("renders zod errors with paths", () => {
    expect(renderLoc(["phases", 1, "tier_id"])).toBe("phases[1].tier_id");
    const parsed = RunStartRequestSchema.safeParse({ run: { run_id: "r", extra: 1 }, tiers: [], phases: [{}] });
    const text = renderZodError(parsed.error!);
    expect(text).toContain("run: Unrecognized key");
    expect(text).toContain("phases[0].phase_id:");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("0.5")).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
