import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === "" ? undefined : s));

export const EnvSchema = z.object({
  APP_ID: z
    .string({ error: "APP_ID is not set: the numeric id of your GitHub App (app settings > About)" })
    .regex(/^\d+$/, "APP_ID must be the numeric id of your GitHub App"),
  PRIVATE_KEY: optionalString,
  PRIVATE_KEY_PATH: optionalString,
  WEBHOOK_SECRET: z
    .string({ error: "WEBHOOK_SECRET is not set: the webhook secret you gave the GitHub App" })
    .min(1, "WEBHOOK_SECRET is empty: set the webhook secret you gave the GitHub App"),
  GHE_HOST: optionalString,
  GHE_PROTOCOL: z.enum(["http", "https"], { error: "GHE_PROTOCOL must be http or https" }).default("https"),
  HOST: optionalString,
  PORT: z.coerce.number({ error: "PORT must be a port number" }).int().min(0).max(65535).default(3000),
  WEBHOOK_PROXY_URL: optionalString,
  LOG_LEVEL: z
    .enum(["trace", "debug", "info", "warn", "error", "fatal"], {
      error: "LOG_LEVEL must be one of trace, debug, info, warn, error, fatal",
    })
    .default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"], { error: "LOG_FORMAT must be json or pretty" }).optional(),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url({ error: "OPENAI_BASE_URL must be a URL" }).optional()),
  AUTOPACK_BUILDER_MODEL: z.string().default("gpt-4.1"),
  AUTOPACK_AUDITOR_MODEL: z.string().default("gpt-4.1"),
  AUTOPACK_API_URL: optionalString.pipe(
    z
      .url({ error: "AUTOPACK_API_URL must be a URL" })
      .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), "AUTOPACK_API_URL must not carry credentials: set AUTOPACK_API_KEY instead")
      .optional(),
  ),
  AUTOPACK_API_KEY: optionalString,
  /** Key for the HMAC that signs run state in status comments; derived from WEBHOOK_SECRET when unset. */
  AUTOPACK_STATE_SECRET: optionalString,
});

export type Env = z.infer<typeof EnvSchema>;

export type EnvResult = { ok: true; env: Env } | { ok: false; message: string };

/** Validates the environment; on failure, a message that names every variable to set or fix. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): EnvResult {
  const parsed = EnvSchema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
  if (!source["PRIVATE_KEY"]?.trim() && !source["PRIVATE_KEY_PATH"]?.trim()) {
    problems.splice(1, 0, "PRIVATE_KEY is not set: the GitHub App's private key (PEM text), or PRIVATE_KEY_PATH to the .pem file");
  }
  if (parsed.success && problems.length === 0) return { ok: true, env: parsed.data };
  const lines = problems.map((p) => `  - ${p}`);
  const message = [
    "Autopack cannot start: the environment is incomplete.",
    ...lines,
    "",
    "Set them in the environment or in a .env file in the directory you start it from (see README, 'Configuration').",
  ].join("\n");
  return { ok: false, message };
}
