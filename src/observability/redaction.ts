/**
 * Fields pino replaces with `[redacted]` in every line the app logs, at any depth a caller is likely
 * to use: keys, tokens, secrets and authorization headers never reach the log.
 */
const SECRET_KEYS = [
  "apiKey",
  "api_key",
  "privateKey",
  "private_key",
  "secret",
  "webhookSecret",
  "token",
  "password",
  "authorization",
  "cookie",
];

export const LOG_REDACTION = {
  paths: [
    ...SECRET_KEYS,
    ...SECRET_KEYS.map((k) => `*.${k}`),
    ...SECRET_KEYS.map((k) => `*.*.${k}`),
    'headers["x-api-key"]',
    '*.headers["x-api-key"]',
    "*.headers.authorization",
    "*.*.headers.authorization",
  ],
  censor: "[redacted]",
};
