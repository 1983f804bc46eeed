/** `npm run schema`: writes the JSON Schema of `.github/autopack.yml` from the zod schema. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_CONFIG_SCHEMA_FILE, renderRepoConfigJsonSchema } from "../src/config/json-schema.js";

const file = join(import.meta.dirname, "..", REPO_CONFIG_SCHEMA_FILE);
writeFileSync(file, renderRepoConfigJsonSchema());
console.info(`wrote ${REPO_CONFIG_SCHEMA_FILE}`);
