import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import type { Database } from "./database.ts";

/**
 * A fixed statement run as a server-side prepared statement, for the few queries on the
 * hot path of every conversation turn: the statement is parsed and planned once per
 * connection instead of on every call, and Drizzle's query building is skipped.
 *
 * `text` uses `$1…$n` placeholders; `types` names their SQL types (needed by PGlite's
 * `PREPARE`). Values are passed as text, never spliced into the statement's text.
 */
export interface PreparedStatement {
  name: string;
  text: string;
  types: string[];
}

type Value = string | number | null | (string | null)[];

const embedded = new WeakSet<Database>();

/** Marks a handle as a PGlite database (called by `openDatabase`). */
export function markEmbedded(db: Database): void {
  embedded.add(db);
}

/**
 * True when the handle is an embedded PGlite database: it lives inside this process and
 * no other process can open it, so every write to it goes through this process.
 */
export function isEmbeddedDatabase(db: Database): boolean {
  return embedded.has(db);
}

/** PGlite clients and the statements already prepared on them (one connection each). */
const preparedOnPglite = new WeakMap<PGlite, Map<string, Promise<void>>>();

/**
 * Runs `statement` with `values` on the root handle (not inside a transaction) and returns
 * the rows, with the driver's own type parsing (timestamps as Date, JSON parsed).
 */
export async function runPrepared(
  db: Database,
  statement: PreparedStatement,
  values: Value[],
): Promise<Record<string, unknown>[]> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (!client) throw new Error(`${statement.name}: prepared statements need the root database handle`);
  if (isEmbeddedDatabase(db)) return runOnPglite(client as PGlite, statement, values);
  // node-postgres prepares a named statement once per pooled connection.
  const result = await (client as pg.Pool).query({ name: statement.name, text: statement.text, values });
  return result.rows;
}

async function runOnPglite(
  client: PGlite,
  statement: PreparedStatement,
  values: Value[],
): Promise<Record<string, unknown>[]> {
  let prepared = preparedOnPglite.get(client);
  if (!prepared) {
    prepared = new Map();
    preparedOnPglite.set(client, prepared);
  }
  let ready = prepared.get(statement.name);
  if (!ready) {
    ready = client
      .exec(`prepare ${statement.name}(${statement.types.join(", ")}) as ${statement.text}`)
      .then(() => undefined);
    prepared.set(statement.name, ready);
    ready.catch(() => prepared.delete(statement.name));
  }
  await ready;
  // PGlite's parameterised query costs four more round trips into WebAssembly than a
  // simple-protocol EXECUTE; the values travel as quoted literals (PostgreSQL's own
  // escaping, the same as `escapeLiteral` in node-postgres), never as statement text.
  const args = values.map(quoteLiteral).join(", ");
  const [result] = await client.exec(`execute ${statement.name}(${args})`);
  return (result?.rows ?? []) as Record<string, unknown>[];
}

/**
 * A SQL literal for `value`: a string with quotes doubled (and backslashes too, in an
 * `E''` string); an array as the text of a PostgreSQL array, quoted the same way.
 */
export function quoteLiteral(value: Value): string {
  if (value === null) return "null";
  const text = Array.isArray(value) ? arrayText(value) : String(value);
  if (text.includes("\0")) throw new Error("A SQL text value cannot contain a NUL character.");
  const quoted = `'${text.replaceAll("'", "''")}'`;
  return text.includes("\\") ? `E${quoted.replaceAll("\\", "\\\\")}` : quoted;
}

/** `{"a","b",NULL}`: every element double-quoted with `"` and `\\` escaped. */
function arrayText(values: (string | null)[]): string {
  const items = values.map((v) => (v === null ? "NULL" : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`));
  return `{${items.join(",")}}`;
}
