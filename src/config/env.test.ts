import { describe, expect, it } from "vitest";
import { readEnv } from "./env.js";

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
