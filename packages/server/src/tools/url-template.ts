/** `{name}` placeholders in URL templates and header values; names as JSON property names allow. */
const PLACEHOLDER = /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * Where the template's origin ends: placeholders are allowed only after it, so the model can
 * choose a path or a query value but never the host the request goes to.
 */
export function staticOriginProblem(template: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(template);
  if (!match) return "must be an absolute http(s) URL";
  if (match[1]!.includes("{")) return "placeholders may appear only in the path and query, not in the host";
  return undefined;
}

/** The template with every placeholder replaced by a harmless value, for checking its shape. */
export function sampleUrl(template: string): string {
  return template.replace(PLACEHOLDER, "x");
}

export class TemplateArgumentError extends Error {}

function valueText(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (value === undefined || value === null) {
    throw new TemplateArgumentError(`the argument "${name}" is needed to build the request`);
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Fills a URL template; every value is percent-encoded so it cannot add path segments or parameters. */
export function fillUrl(template: string, args: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(valueText(args, name)));
}

/** Fills a header value; line breaks are refused so a value cannot smuggle in another header. */
export function fillHeader(template: string, args: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const text = valueText(args, name);
    if (/[\r\n\0]/.test(text))
      throw new TemplateArgumentError(`the argument "${name}" contains a line break`);
    return text;
  });
}
