import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === "" ? undefined : s));

/** Trimmed and lower-cased; blank is unset. */
const word = (value: unknown) => (typeof value === "string" ? value.trim().toLowerCase() || undefined : value);

export const API_CHOICES = ["auto", "chat", "responses"] as const;
export const REASONING_EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;
export const OUTPUT_LIMIT_PARAMS = ["auto", "max_completion_tokens", "max_tokens"] as const;

const apiChoice = (name: string) =>
  z.preprocess(word, z.enum(API_CHOICES, { error: `${name} must be auto, chat or responses` }).default("auto"));
const reasoningEffort = (name: string) =>
  z.preprocess(word, z.enum(REASONING_EFFORTS, { error: `${name} must be one of ${REASONING_EFFORTS.join(", ")}` }).optional());
const outputLimitParam = (name: string) =>
  z.preprocess(word, z.enum(OUTPUT_LIMIT_PARAMS, { error: `${name} must be auto, max_completion_tokens or max_tokens` }).default("auto"));

/** The models and how each role's model is asked (see README, "Models and APIs"). */
const modelShape = {
  AUTOPACK_BUILDER_MODEL: z.string().default("gpt-4.1"),
  AUTOPACK_AUDITOR_MODEL: z.string().default("gpt-4.1"),
  AUTOPACK_BUILDER_API: apiChoice("AUTOPACK_BUILDER_API"),
  AUTOPACK_AUDITOR_API: apiChoice("AUTOPACK_AUDITOR_API"),
  AUTOPACK_BUILDER_REASONING_EFFORT: reasoningEffort("AUTOPACK_BUILDER_REASONING_EFFORT"),
  AUTOPACK_AUDITOR_REASONING_EFFORT: reasoningEffort("AUTOPACK_AUDITOR_REASONING_EFFORT"),
  AUTOPACK_BUILDER_OUTPUT_LIMIT_PARAM: outputLimitParam("AUTOPACK_BUILDER_OUTPUT_LIMIT_PARAM"),
  AUTOPACK_AUDITOR_OUTPUT_LIMIT_PARAM: outputLimitParam("AUTOPACK_AUDITOR_OUTPUT_LIMIT_PARAM"),
};

export const ModelEnvSchema = z.object(modelShape);
export type ModelEnv = z.infer<typeof ModelEnvSchema>;

export interface RoleModelSettings {
  api: (typeof API_CHOICES)[number];
  reasoningEffort: (typeof REASONING_EFFORTS)[number] | undefined;
  outputLimitParam: (typeof OUTPUT_LIMIT_PARAMS)[number];
}

export interface ModelSettings {
  models: { builder: string; auditor: string };
  roles: { builder: RoleModelSettings; auditor: RoleModelSettings };
}

/** The model settings of each role, as the model adapter takes them. */
export function modelSettings(env: ModelEnv): ModelSettings {
  return {
    models: { builder: env.AUTOPACK_BUILDER_MODEL, auditor: env.AUTOPACK_AUDITOR_MODEL },
    roles: {
      builder: {
        api: env.AUTOPACK_BUILDER_API,
        reasoningEffort: env.AUTOPACK_BUILDER_REASONING_EFFORT,
        outputLimitParam: env.AUTOPACK_BUILDER_OUTPUT_LIMIT_PARAM,
      },
      auditor: {
        api: env.AUTOPACK_AUDITOR_API,
        reasoningEffort: env.AUTOPACK_AUDITOR_REASONING_EFFORT,
        outputLimitParam: env.AUTOPACK_AUDITOR_OUTPUT_LIMIT_PARAM,
      },
    },
  };
}

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
  ...modelShape,
  AUTOPACK_API_URL: optionalString.pipe(
    z
      .url({ error: "AUTOPACK_API_URL must be a URL" })
      .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), "AUTOPACK_API_URL must not carry credentials: set AUTOPACK_API_KEY instead")
      .optional(),
  ),
  AUTOPACK_API_KEY: optionalString,
  /** Cursor's Cloud Agents API, for repositories whose `.github/autopack.yml` says `builder: cursor`. */
  CURSOR_API_KEY: optionalString,
  CURSOR_API_URL: optionalString.pipe(
    z
      .url({ error: "CURSOR_API_URL must be a URL (default https://api.cursor.com)" })
      .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), "CURSOR_API_URL must not carry credentials: set CURSOR_API_KEY instead")
      .default("https://api.cursor.com"),
  ),
  /** Key for the HMAC that signs run state in status comments; derived from WEBHOOK_SECRET when unset. */
  AUTOPACK_STATE_SECRET: optionalString,
  /** Redis for the queue (and Probot's shared rate limiting): `redis://…`, `rediss://…` or a Unix socket's path. */
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .refine(
        (u) => /^rediss?:\/\//.test(u) || u.startsWith("/"),
        "REDIS_URL must be a redis:// or rediss:// URL, or the path of a Unix socket",
      )
      .optional(),
  ),
  AUTOPACK_ROLE: z
    .enum(["all", "web", "worker"], { error: "AUTOPACK_ROLE must be all, web or worker" })
    .optional()
    .transform((r) => r ?? "all"),
  /**
   * With REDIS_URL: how long a worker's claim on a job and an issue's lock last without being renewed
   * (ms); a dead worker's jobs are taken over after one to two of these.
   */
  AUTOPACK_JOB_LEASE_MS: z.coerce
    .number({ error: "AUTOPACK_JOB_LEASE_MS must be a number of milliseconds" })
    .int({ error: "AUTOPACK_JOB_LEASE_MS must be a whole number of milliseconds" })
    .min(1_000, { error: "AUTOPACK_JOB_LEASE_MS must be at least 1000 (a lease shorter than a second would be lost under load)" })
    .default(30_000),
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
  if (parsed.success && parsed.data.AUTOPACK_ROLE !== "all" && parsed.data.REDIS_URL === undefined) {
    problems.push(`AUTOPACK_ROLE=${parsed.data.AUTOPACK_ROLE} needs REDIS_URL: web and worker processes share their jobs through Redis`);
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
