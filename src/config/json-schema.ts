import { z } from "zod";
import { RepoConfigSchema } from "./repo-config.js";

/** Where the committed schema lives, from the repository's root (`npm run schema` writes it). */
export const REPO_CONFIG_SCHEMA_FILE = "docs/autopack.schema.json";

/**
 * The JSON Schema of `.github/autopack.yml`, generated from the zod schema the app reads it with (as
 * people write it: defaults are optional). Draft-07, which editors' YAML support validates with.
 */
export function repoConfigJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(RepoConfigSchema, { io: "input", target: "draft-07" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: "Autopack repository configuration",
    description:
      "`.github/autopack.yml`, read from the default branch (the organisation's `.github` repository is the fallback). Every key is optional. Generated from src/config/repo-config.ts by `npm run schema`.",
    ...rest,
  };
}

/** The committed file's text. */
export function renderRepoConfigJsonSchema(): string {
  return `${JSON.stringify(repoConfigJsonSchema(), null, 2)}\n`;
}
