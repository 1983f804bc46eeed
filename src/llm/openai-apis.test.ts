import { zodResponseFormat, zodTextFormat } from "openai/helpers/zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { chatBody, responsesBody, systemText, type WireRequest } from "./openai-apis.js";

const Edit = z.object({ path: z.string(), content: z.string() });
const Review = z.object({ recommendation: z.enum(["approve", "revise"]), notes: z.string() });

const request = (schema: z.ZodType<unknown>, schemaName: string, mode: WireRequest["mode"] = "json_schema"): WireRequest => ({
  model: "m",
  conversation: { system: "You edit files.", turns: [{ role: "user", content: "Add a file." }] },
  mode,
  schema,
  schemaName,
  maxOutputTokens: 100,
  limitParam: "max_tokens",
});

describe("the schema sent with each call", () => {
  it("is the zod helper's strict JSON schema, the same in every call, per schema and name", () => {
    for (let call = 0; call < 2; call++) {
      expect(JSON.stringify(chatBody(request(Edit, "edit")).response_format)).toBe(JSON.stringify(zodResponseFormat(Edit, "edit")));
      expect(JSON.stringify(chatBody(request(Review, "review")).response_format)).toBe(JSON.stringify(zodResponseFormat(Review, "review")));
      expect(JSON.stringify(responsesBody(request(Edit, "edit")).text)).toBe(JSON.stringify({ format: zodTextFormat(Edit, "edit") }));
    }
    // One schema under another name is sent under that name.
    expect(JSON.stringify(chatBody(request(Edit, "edit_again")).response_format)).toContain('"name":"edit_again"');
  });

  it("is spelled out in the system text when the server does not enforce it", () => {
    expect(systemText(request(Edit, "edit", "json_object"))).toContain(JSON.stringify(zodResponseFormat(Edit, "edit").json_schema.schema));
  });

  it("that strict structured outputs cannot take is refused with its name at every call", () => {
    const Loose = z.object({ when: z.date() });
    for (let call = 0; call < 2; call++) expect(() => chatBody(request(Loose, "loose"))).toThrow(/schema loose cannot be used/);
  });
});
