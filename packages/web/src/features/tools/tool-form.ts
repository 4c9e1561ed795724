/** Text forms of a tool's structured fields, as the tool dialogs edit them. */

export const DEFAULT_PARAMETERS = `{
  "type": "object",
  "properties": {},
  "required": []
}`;

/** `Name: value` per line. */
export function headersToText(headers: Record<string, string> | undefined): string {
  return Object.entries(headers ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");
}

export function parseHeaders(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  for (const [n, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) return { error: `Headers, line ${n + 1}: write it as “Name: value”.` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers };
}

/** A JSON object typed into a text box, or a sentence saying what is wrong with it. */
export function parseJsonObject(
  text: string,
  field: string,
): { value: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value))
      return { error: `${field} must be a JSON object, like {"date": "2026-03-14"}.` };
    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { error: `${field} is not valid JSON: ${(error as Error).message}` };
  }
}

type Schema = Record<string, unknown>;

function sampleOf(schema: Schema): unknown {
  if ("example" in schema) return schema.example;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      if (schema.format === "date") return new Date().toISOString().slice(0, 10);
      if (schema.format === "date-time") return new Date().toISOString();
      if (schema.format === "email") return "patient@example.com";
      return "";
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return sampleArguments(schema);
    default:
      return null;
  }
}

/** Arguments shaped like the tool's parameter schema, as a starting point for a test call. */
export function sampleArguments(schema: Schema | undefined): Record<string, unknown> {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, sampleOf(property)]));
}
