import { describe, expect, it } from "vitest";
import { structuredFormats } from "../llm/openai-apis.js";
import { parseStructured } from "../llm/structured-output.js";
import { EditPlanSchema, editPlanSchema, FileRequestSchema } from "./edit-schema.js";

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  const?: unknown;
}

describe("the edit plan's JSON schema", () => {
  it("is taken by OpenAI's zod helper for both APIs, strict", () => {
    const { chat, responses } = structuredFormats(EditPlanSchema, "autopack_edit_plan");
    expect(chat.json_schema).toMatchObject({ name: "autopack_edit_plan", strict: true });
    expect(responses).toMatchObject({ type: "json_schema", name: "autopack_edit_plan", strict: true });
    expect(responses.schema).toEqual(chat.json_schema.schema);
    expect(() => structuredFormats(FileRequestSchema, "autopack_file_request")).not.toThrow();
  });

  it("has one object per kind of edit, a field that does not apply being null", () => {
    const schema = structuredFormats(EditPlanSchema, "autopack_edit_plan").chat.json_schema.schema as JsonSchema;
    expect(schema).toMatchObject({ type: "object", required: ["summary", "edits"], additionalProperties: false });
    const shapes = schema.properties!.edits!.items!.anyOf!;
    const summary = shapes.map((shape) => {
      expect(shape).toMatchObject({ type: "object", additionalProperties: false, required: ["path", "action", "content", "replacements"] });
      const p = shape.properties!;
      return [p.action!.const, p.content!.type, p.replacements!.type];
    });
    expect(summary).toEqual([
      ["create", "string", "null"],
      ["update", "null", "array"],
      ["update", "string", "null"],
      ["delete", "null", "null"],
    ]);
  });
});

describe("reading an answer with the edit plan's schema", () => {
  it("takes a sloppy but clear answer as meant and reports the notes of the last parse", () => {
    const heard: string[][] = [];
    const schema = editPlanSchema((notes) => heard.push(notes));
    const answer = {
      summary: "Add a",
      edits: [
        { path: "a.ts", action: "create", content: "a\n", replacements: [] },
        { path: "b.ts", action: "delete", content: "old\n", replacements: null },
      ],
    };
    const parsed = parseStructured(JSON.stringify(answer), schema);
    expect(parsed).toEqual({
      ok: true,
      value: {
        summary: "Add a",
        edits: [
          { path: "a.ts", action: "create", content: "a\n", replacements: null },
          { path: "b.ts", action: "delete", content: null, replacements: null },
        ],
      },
    });
    expect(heard).toEqual([
      [
        'edit 1 (create a.ts): took "content" and set aside the empty "replacements" list',
        'edit 2 (delete b.ts): set aside the "content" given with a delete',
      ],
    ]);
  });

  it("refuses an unclear answer with every problem, precisely, for the repair round", () => {
    const answer = {
      edits: [
        { path: "a.ts", action: "update", content: null, replacements: null },
        { path: 7, action: "create", content: "x", replacements: null },
        { path: "c.ts", action: "update", content: null, replacements: [{ search: "x" }] },
      ],
    };
    const parsed = parseStructured(JSON.stringify(answer), EditPlanSchema);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.split("\n")).toEqual([
      "the JSON does not match the schema:",
      '- at $.edits[0]: an "update" needs "replacements" (search/replace pairs) or "content" (the whole new text of a small file); this one has neither',
      "- at $.edits[1].path: Invalid input: expected string, received number",
      "- at $.edits[2].replacements[0].replace: Invalid input: expected string, received undefined",
      "- at $.summary: Invalid input: expected string, received undefined",
    ]);
  });

  it("still refuses what is not a plan at all", () => {
    expect(parseStructured('"edits"', EditPlanSchema)).toMatchObject({ ok: false, problem: expect.stringContaining("expected object") });
    expect(parseStructured('{"summary": "s", "edits": {}}', EditPlanSchema)).toMatchObject({
      ok: false,
      problem: expect.stringContaining("$.edits: Invalid input: expected array"),
    });
  });
});
