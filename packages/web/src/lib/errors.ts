import { ApiError } from "@oratio/sdk";

/** Field names as the forms label them, for turning `body.email` into "Email". */
const FIELD_LABELS: Record<string, string> = {
  email: "Email",
  password: "Password",
  name: "Name",
  organizationName: "Organization",
  role: "Role",
  scopes: "Scopes",
  token: "Invitation",
};

/**
 * Says what went wrong in words an office manager understands: no status codes, no
 * field paths. The server's own sentences are already written for people, so they are
 * kept where they exist.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    if (error instanceof DOMException && error.name === "AbortError") return "The request was cancelled.";
    return "We could not reach the Oratio server. Check your connection and try again.";
  }
  switch (error.code) {
    case "validation-error": {
      const fields = error.fieldErrors.map((issue) => {
        const key = issue.path.split(".").at(-1) ?? issue.path;
        return `${FIELD_LABELS[key] ?? key}: ${issue.message}`;
      });
      return fields.length ? `Please check these fields. ${fields.join(". ")}.` : error.message;
    }
    case "rate-limited":
      return "Too many attempts in a short time. Please wait a minute and try again.";
    case "internal-error":
      return "Something went wrong on our side. Please try again in a moment.";
  }
  if (error.status === 401 && error.code !== "unauthorized") return error.message;
  if (error.status >= 500) return "The Oratio server had a problem. Please try again in a moment.";
  return error.message;
}

export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}
