import { run } from "probot";
import { readEnv } from "../config/env.js";

/** The variables that make the GitHub App; none of them set means the app was never registered. */
const CREDENTIALS = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET"] as const;

/**
 * True when no GitHub App credential is set at all (blank counts as unset, as in a copied
 * `.env.example`), outside production: the first start of a fresh clone. Then Probot's setup page
 * registers the app; with some of them set, the app says what is missing instead.
 */
export function wantsSetup(env: NodeJS.ProcessEnv): boolean {
  if (env["NODE_ENV"] === "production") return false;
  return CREDENTIALS.every((name) => !env[name]?.trim());
}

/**
 * Probot's setup mode: `GET /` leads to a page whose form posts the manifest in `app.yml` to GitHub
 * (`GHE_HOST` when set); GitHub sends the browser back with a code, Probot exchanges it for the new
 * app's id, key and webhook secret and writes them to `.env`. Then the app is started again.
 * Everything else in the environment is checked first, as for a normal start.
 */
export async function serveSetupPage(env: NodeJS.ProcessEnv): Promise<boolean> {
  const rest = readEnv({ ...env, APP_ID: "1", PRIVATE_KEY: "set up by the setup page", WEBHOOK_SECRET: "set up by the setup page" });
  if (!rest.ok) {
    console.error(rest.message);
    return false;
  }
  console.info(
    [
      "Autopack has no GitHub App yet (APP_ID, PRIVATE_KEY and WEBHOOK_SECRET are not set).",
      "Open the address below to register it from app.yml; its credentials are written to .env, then start Autopack again.",
    ].join("\n"),
  );
  await run(() => undefined, { env });
  return true;
}
