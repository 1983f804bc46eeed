import { describe, expect, it } from "vitest";
import { ModelEnvSchema, modelSettings, readEnv } from "./env.js";

const complete = { APP_ID: "123", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----", WEBHOOK_SECRET: "s" };

describe("readEnv", () => {
  it("names every missing variable in one message", () => {
    const result = readEnv({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain("APP_ID is not set");
    expect(result.message).toContain("PRIVATE_KEY is not set");
    expect(result.message).toContain("WEBHOOK_SECRET is not set");
  });

  it("accepts PRIVATE_KEY_PATH instead of PRIVATE_KEY", () => {
    const { PRIVATE_KEY: _k, ...rest } = complete;
    expect(readEnv({ ...rest, PRIVATE_KEY_PATH: "key.pem" }).ok).toBe(true);
  });

  it("refuses malformed values precisely", () => {
    const result = readEnv({ ...complete, APP_ID: "abc", GHE_PROTOCOL: "ftp", AUTOPACK_API_URL: "not a url" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain("APP_ID must be the numeric id");
    expect(result.message).toContain("GHE_PROTOCOL must be http or https");
    expect(result.message).toContain("AUTOPACK_API_URL must be a URL");
  });

  it("reads the job lease of processes on Redis: 30 s by default, at least a second", () => {
    expect(readEnv(complete).ok && readEnv(complete)).toMatchObject({ env: { AUTOPACK_JOB_LEASE_MS: 30_000 } });
    expect(readEnv({ ...complete, AUTOPACK_JOB_LEASE_MS: "5000" })).toMatchObject({ ok: true, env: { AUTOPACK_JOB_LEASE_MS: 5_000 } });
    const short = readEnv({ ...complete, AUTOPACK_JOB_LEASE_MS: "200" });
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.message).toContain("AUTOPACK_JOB_LEASE_MS must be at least 1000");
  });

  it("treats empty optional variables as unset (mirroring off)", () => {
    const result = readEnv({ ...complete, AUTOPACK_API_URL: "", OPENAI_BASE_URL: "" });
    expect(result.ok && result.env.AUTOPACK_API_URL).toBeUndefined();
  });
});

describe("readEnv, credentials in URLs", () => {
  it("refuses an orchestrator URL with credentials (they would leak into errors and logs)", () => {
    const result = readEnv({ ...complete, AUTOPACK_API_URL: "https://user:secret@orchestrator.example" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain("AUTOPACK_API_URL must not carry credentials");
  });
});

describe("readEnv, models and APIs", () => {
  it("defaults every role to auto, with no reasoning effort sent", () => {
    const result = readEnv(complete);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const role = { api: "auto", reasoningEffort: undefined, outputLimitParam: "auto" };
    expect(modelSettings(result.env)).toEqual({
      models: { builder: "gpt-4.1", auditor: "gpt-4.1" },
      roles: { builder: role, auditor: role },
    });
  });

  it("reads each role's API, reasoning effort and output-limit parameter, blank as unset", () => {
    const env = ModelEnvSchema.parse({
      AUTOPACK_AUDITOR_MODEL: "gpt-5-codex",
      AUTOPACK_BUILDER_API: " Chat ",
      AUTOPACK_AUDITOR_API: "responses",
      AUTOPACK_BUILDER_REASONING_EFFORT: "",
      AUTOPACK_AUDITOR_REASONING_EFFORT: "high",
      AUTOPACK_BUILDER_OUTPUT_LIMIT_PARAM: "max_tokens",
      AUTOPACK_AUDITOR_OUTPUT_LIMIT_PARAM: "",
    });
    expect(modelSettings(env)).toEqual({
      models: { builder: "gpt-4.1", auditor: "gpt-5-codex" },
      roles: {
        builder: { api: "chat", reasoningEffort: undefined, outputLimitParam: "max_tokens" },
        auditor: { api: "responses", reasoningEffort: "high", outputLimitParam: "auto" },
      },
    });
  });

  it("names a wrong value and what it may be", () => {
    const result = readEnv({
      ...complete,
      AUTOPACK_AUDITOR_API: "completions",
      AUTOPACK_BUILDER_REASONING_EFFORT: "extreme",
      AUTOPACK_AUDITOR_OUTPUT_LIMIT_PARAM: "max_output_tokens",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain("AUTOPACK_AUDITOR_API must be auto, chat or responses");
    expect(result.message).toContain("AUTOPACK_BUILDER_REASONING_EFFORT must be one of none, minimal, low, medium, high, xhigh, max");
    expect(result.message).toContain("AUTOPACK_AUDITOR_OUTPUT_LIMIT_PARAM must be auto, max_completion_tokens or max_tokens");
  });
});

describe("readEnv, Cursor", () => {
  it("defaults CURSOR_API_URL to Cursor's API and leaves the key unset", () => {
    const result = readEnv({ ...complete, CURSOR_API_URL: "" });
    expect(result.ok && [result.env.CURSOR_API_URL, result.env.CURSOR_API_KEY]).toEqual(["https://api.cursor.com", undefined]);
  });

  it("refuses a CURSOR_API_URL that is not a URL, or that carries credentials", () => {
    for (const [url, said] of [
      ["cursor", "CURSOR_API_URL must be a URL"],
      ["https://key@api.cursor.com", "CURSOR_API_URL must not carry credentials"],
    ] as const) {
      const result = readEnv({ ...complete, CURSOR_API_URL: url });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(said);
    }
  });
});
