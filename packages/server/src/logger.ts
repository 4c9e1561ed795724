import pino, { type DestinationStream, type Logger } from "pino";

/**
 * Structured JSON logs. Redaction is a second line of defence: code never logs request
 * bodies or headers, but if an object with a secret-looking key slips through, pino
 * replaces its value.
 */
const SECRET_KEYS = [
  "password",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "invitationToken",
  "apiKey",
  "key",
  "secret",
  "authorization",
  "cookie",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "oratio" },
      redact: {
        paths: [
          ...SECRET_KEYS,
          ...SECRET_KEYS.map((k) => `*.${k}`),
          "req.headers.authorization",
          "headers.authorization",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
