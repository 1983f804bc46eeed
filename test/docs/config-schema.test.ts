import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO_CONFIG_SCHEMA_FILE, renderRepoConfigJsonSchema, repoConfigJsonSchema } from "../../src/config/json-schema.js";
import { parseRepoConfig } from "../../src/config/repo-config.js";

const root = resolve(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");
const EXAMPLE = "docs/autopack.example.yml";

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return ajv.compile(JSON.parse(read(REPO_CONFIG_SCHEMA_FILE)) as object);
}

describe("the JSON Schema of .github/autopack.yml", () => {
  it("is the one the zod schema generates (run `npm run schema` after changing src/config/repo-config.ts)", () => {
    const committed = read(REPO_CONFIG_SCHEMA_FILE);
    expect(committed === renderRepoConfigJsonSchema(), `${REPO_CONFIG_SCHEMA_FILE} is out of date: run npm run schema`).toBe(true);
  });

  it("refuses what the app refuses: an unknown key, a wrong type, a value out of range", () => {
    const validate = validator();
    expect(validate({})).toBe(true);
    for (const bad of [{ lable: "x" }, { draft: "yes" }, { max_parallel_phases: 11 }, { audit: { min_inline_severity: "nit" } }]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
      expect(parseRepoConfig(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe(`the commented example (${EXAMPLE})`, () => {
  const text = read(EXAMPLE);
  const example = parseYaml(text) as Record<string, unknown>;

  it("tells editors its schema", () => {
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=./autopack.schema.json");
  });

  it("is valid for the schema and for the app", () => {
    const validate = validator();
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    const parsed = parseRepoConfig(example);
    expect(parsed.ok, parsed.ok ? "" : parsed.problems.join("; ")).toBe(true);
  });

  it("shows every key the app reads", () => {
    const keys = Object.keys(repoConfigJsonSchema()["properties"] as object);
    expect(Object.keys(example).sort()).toEqual([...keys].sort());
  });
});

describe("README's table of .github/autopack.yml", () => {
  it("names every key the app reads", () => {
    const readme = read("README.md");
    const section = readme.slice(readme.indexOf("### Repository: `.github/autopack.yml`"));
    const table = section.slice(0, section.indexOf("\n## "));
    for (const key of Object.keys(repoConfigJsonSchema()["properties"] as object)) {
      expect(table, `README's table lacks ${key}`).toMatch(new RegExp(`^\\| \`${key}(\\.[^\`]*)?\` \\|`, "m"));
    }
  });
});
