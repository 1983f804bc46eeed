import { APIConnectionError, BadRequestError, InternalServerError, NotFoundError, PermissionDeniedError } from "openai";
import { describe, expect, it } from "vitest";
import {
  answersOnlyOnResponses,
  lacksResponsesApi,
  rejectsParameter,
  rejectsResponseFormat,
  rejectsThisSchema,
  toLlmError,
} from "./openai-errors.js";
import { LlmUnavailableError } from "./port.js";

const bad = (message: string) => new BadRequestError(400, { message }, undefined, new Headers());

describe("reading the model server's errors", () => {
  it("tells a missing response format from a refused schema", () => {
    const lacks = bad("Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.");
    expect(rejectsResponseFormat(lacks)).toBe(true);
    expect(rejectsThisSchema(lacks)).toBe(false);
    const schema = bad("Invalid schema for response_format 'plan': 'additionalProperties' is required to be false.");
    expect(rejectsThisSchema(schema)).toBe(true);
    expect(rejectsResponseFormat(bad("This model's maximum context length is 8192 tokens."))).toBe(false);
    expect(rejectsResponseFormat(new InternalServerError(500, { message: "response_format" }, undefined, new Headers()))).toBe(false);
  });

  it("recognises a refused output-limit parameter only when it is called unsupported", () => {
    const refused = bad("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.");
    expect(rejectsParameter(refused, "max_tokens")).toBe(true);
    expect(rejectsParameter(refused, "max_completion_tokens")).toBe(false);
    expect(rejectsParameter(bad("max_tokens is too large: 90000"), "max_tokens")).toBe(false);
  });

  it("tells which API a server refuses a model on", () => {
    const notFound = (error: object) => new NotFoundError(404, error, undefined, new Headers());
    const codex = notFound({ message: "This model is only supported in v1/responses and not in v1/chat/completions.", param: "model" });
    expect(answersOnlyOnResponses(codex)).toBe(true);
    expect(answersOnlyOnResponses(notFound({ message: "model gpt-5.3-codex is not accessible", code: "unsupported_api_for_model" }))).toBe(
      true,
    );
    expect(answersOnlyOnResponses(notFound({ message: "The model `x` does not exist or you do not have access to it." }))).toBe(false);
    expect(answersOnlyOnResponses(bad("max_tokens is too large"))).toBe(false);
    // A server without the Responses API, as opposed to a model it does not know.
    expect(lacksResponsesApi(notFound({ message: '{"detail":"Not Found"}' }))).toBe(true);
    expect(
      lacksResponsesApi(notFound({ message: "The model `x` does not exist or you do not have access to it.", code: "model_not_found" })),
    ).toBe(false);
    expect(lacksResponsesApi(bad("Invalid parameter"))).toBe(false);
    expect(lacksResponsesApi(new APIConnectionError({ message: "Connection error." }))).toBe(false);
    expect(rejectsResponseFormat(bad("Invalid parameter: 'text.format' of type 'json_schema' is not supported."))).toBe(true);
  });

  it("maps SDK errors to LlmUnavailableError without the key", () => {
    const ctx = { timeoutMs: 1000, maxRetries: 2, secret: "my-secret-key" };
    const refused = toLlmError(new PermissionDeniedError(403, { message: "key my-secret-key is blocked" }, undefined, new Headers()), ctx);
    expect(refused).toBeInstanceOf(LlmUnavailableError);
    expect((refused as Error).message).toBe("the model server refused the request: 403 key [REDACTED] is blocked");
    const down = toLlmError(new APIConnectionError({ message: "Connection error." }), ctx);
    expect((down as Error).message).toMatch(/could not reach the model server \(after 2 retries\)/);
    const other = new Error("bug");
    expect(toLlmError(other, ctx)).toBe(other);
  });
});
