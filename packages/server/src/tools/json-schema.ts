import type { FieldIssue } from "@oratio/core";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * JSON Schema (draft 2020-12) for tool parameters. Unknown keywords are tolerated because
 * model vendors and MCP servers decorate schemas freely; structurally wrong schemas (a
 * misspelt type, a non-array `required`) are refused by the meta-schema check.
 */
const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
addFormats.default(ajv);

export type ArgsValidator = (args: unknown) => { ok: true } | { ok: false; issues: FieldIssue[] };

/**
 * Compiles a parameters schema; throws an Error whose message says what is wrong with it.
 * A `$schema` naming another draft (MCP servers often say draft-07) is dropped: tool
 * schemas use the keywords both drafts share.
 */
export function compileArgsValidator(schema: Record<string, unknown>): ArgsValidator {
  const { $schema: _draft, ...body } = schema;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(body);
  } catch (error) {
    throw new Error(`not a valid JSON Schema: ${(error as Error).message}`);
  }
  return (args) => (validate(args) ? { ok: true } : { ok: false, issues: describeErrors(validate.errors) });
}

/** Why a schema cannot be used as tool parameters, or undefined when it can. */
export function parametersProblem(schema: Record<string, unknown>): string | undefined {
  if (schema.type !== "object") return 'must be a JSON Schema with "type": "object"';
  try {
    compileArgsValidator(schema);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** ajv errors as dotted field paths (`customer.email`), `(arguments)` for the top level. */
function describeErrors(errors: ErrorObject[] | null | undefined): FieldIssue[] {
  return (errors ?? []).map((error) => {
    const segments = error.instancePath.split("/").filter(Boolean).map(unescapePointer);
    if (error.keyword === "required") segments.push(String(error.params.missingProperty));
    if (error.keyword === "additionalProperties") segments.push(String(error.params.additionalProperty));
    const message =
      error.keyword === "required"
        ? "is required"
        : error.keyword === "additionalProperties"
          ? "is not an allowed argument"
          : (error.message ?? "is invalid");
    return { path: segments.join(".") || "(arguments)", message };
  });
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** One line for a model or a problem detail: `date: is required; party: must be integer`. */
export function issuesText(issues: FieldIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
}
