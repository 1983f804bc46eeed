import { describe, expect, it } from "vitest";
import { z } from "zod";
import { extractJsonText, formatPath, parseStructured } from "./structured-output.js";

describe("structured output parsing", () => {
  it("strips fences, reasoning blocks and prose around a fenced block", () => {
    expect(extractJsonText('```json\n{"a":1}\n```')).toBe('{"a":1}');
    expect(extractJsonText('```\n{"a":1}```')).toBe('{"a":1}');
    expect(extractJsonText('<think>hmm</think>\n{"a":1}')).toBe('{"a":1}');
    expect(extractJsonText('Here it is:\n```json\n{"a":1}\n```\nDone.')).toBe('{"a":1}');
    expect(extractJsonText('  {"code":"```js\\nx\\n```"}  ')).toBe('{"code":"```js\\nx\\n```"}');
  });

  it("formats zod paths", () => {
    expect(formatPath([])).toBe("$");
    expect(formatPath(["steps", 2, "title"])).toBe("$.steps[2].title");
    expect(formatPath(["a b"])).toBe('$["a b"]');
  });

  it("describes every failure precisely", () => {
    const schema = z.object({ n: z.number(), tags: z.array(z.string()) });
    expect(parseStructured('{"n":1,"tags":["x"]}', schema)).toEqual({ ok: true, value: { n: 1, tags: ["x"] } });
    expect(parseStructured(null, schema)).toMatchObject({ ok: false, problem: expect.stringContaining("empty") });
    expect(parseStructured("{oops", schema)).toMatchObject({ ok: false, problem: expect.stringContaining("not valid JSON") });
    const bad = parseStructured('{"n":"1","tags":[2]}', schema);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problem).toContain("- at $.n:");
      expect(bad.problem).toContain("- at $.tags[0]:");
    }
  });
});
