import { generateKeyPairSync, randomBytes, verify } from "node:crypto";
import { HttpError } from "./http-error.js";
/** The app's key pair, JWT checks and the installation tokens handed out. */
export class AppAuth {
  appId;
  privateKey;
  publicKey;
  tokens = new Map();
  constructor(appId) {
    this.appId = appId;
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    this.publicKey = pair.publicKey;
  }
  /** Throws GitHub's 401 unless the header carries a valid RS256 JWT of this app. */
  checkJwt(authorization) {
    const match = /^bearer\s+(\S+)$/i.exec(authorization ?? "");
    const parts = match?.[1].split(".");
    if (!parts || parts.length !== 3) throw new HttpError(401, "A JSON web token could not be decoded");
    const [head, body, sig] = parts;
    let header;
    let claims;
    try {
      header = JSON.parse(Buffer.from(head, "base64url").toString("utf8"));
      claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      throw new HttpError(401, "A JSON web token could not be decoded");
    }
    if (header.alg !== "RS256" || !verify("RSA-SHA256", Buffer.from(`${head}.${body}`), this.publicKey, Buffer.from(sig, "base64url"))) {
      throw new HttpError(401, "A JSON web token could not be decoded");
    }
    const now = Math.floor(Date.now() / 1000);
    if (String(claims.iss) !== String(this.appId)) throw new HttpError(401, "'Issuer' claim ('iss') must be an Integer");
    if (typeof claims.iat !== "number" || claims.iat > now + 60) {
      throw new HttpError(401, "'Issued at' claim ('iat') must be an Integer representing a time in the past");
    }
    if (typeof claims.exp !== "number" || claims.exp <= now) {
      throw new HttpError(
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      );
    }
    if (claims.exp - claims.iat > 600 + 60) {
      throw new HttpError(401, "'Expiration time' claim ('exp') is too far in the future");
    }
  }
  issue(installationId) {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const token = `ghs_${[...randomBytes(36)].map((b) => alphabet[b % alphabet.length]).join("")}`;
    const record = { token, installationId, expiresAt: Date.now() + 3600_000 };
    this.tokens.set(token, record);
    return record;
  }
  /** Throws GitHub's 401 unless the header carries a live installation token. */
  checkToken(authorization) {
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? "");
    const record = match ? this.tokens.get(match[1]) : undefined;
    if (!record || record.expiresAt <= Date.now()) throw new HttpError(401, "Bad credentials");
    return record;
  }
  /** Makes every token handed out so far invalid, as an expiry or revocation would. */
  revokeAll() {
    this.tokens.clear();
  }
}
//# sourceMappingURL=auth.js.map
