import { PGlite } from "@electric-sql/pglite";
import type { LanguageModel, ModelRequest, ModelStreamPart } from "@oratio/core";
import { createTestApp } from "../packages/server/src/testing.ts";

const log: { sql: string; ms: number; bytes: number }[] = [];
let on = false;
for (const name of ["query", "exec"] as const) {
  const orig = (PGlite.prototype as any)[name];
  (PGlite.prototype as any)[name] = async function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    const r = await orig.apply(this, args);
    if (on) log.push({ sql: String(args[0]).slice(0, 110).replace(/\s+/g, " "), ms: performance.now() - t0, bytes: JSON.stringify(r?.rows ?? []).length });
    return r;
  };
}
class M implements LanguageModel { provider = "b"; modelId = "m";
  async *stream(_r: ModelRequest): AsyncGenerator<ModelStreamPart> { yield { type: "text-delta", text: "ok" }; yield { type: "finish", reason: "stop", usage: { inputTokens: 1, outputTokens: 1 } }; } }
const t = await createTestApp({}, { models: { async resolve() { return () => new M(); } } });
const s = await (await t.request("POST", "/api/v1/auth/signup", { json: { email: "p@example.com", password: "probe-password", name: "P", organizationName: "P" } })).json();
const key = (await (await t.request("POST", "/api/v1/api-keys", { token: s.accessToken, json: { name: "k", scopes: ["*"] } })).json()).key;
const agent = await (await t.request("POST", "/api/v1/agents", { token: key, json: { name: "a", instructions: "x", model: { providerId: "local", model: "m" } } })).json();
const session = await (await t.request("POST", "/api/v1/sessions", { token: key, json: { agentId: agent.id } })).json();
for (let i = 0; i < 30; i++) await t.request("POST", `/api/v1/sessions/${session.id}/messages`, { token: key, json: { text: "hello there" } }).then((r) => r.text());
on = true;
const t0 = performance.now();
const r = await t.request("POST", `/api/v1/sessions/${session.id}/messages`, { token: key, json: { text: "hello there" } });
await r.text();
const total = performance.now() - t0;
on = false;
let sum = 0;
for (const q of log) { sum += q.ms; console.log(q.ms.toFixed(2).padStart(7), String(q.bytes).padStart(7), q.sql); }
console.log(`queries ${log.length}, db ${sum.toFixed(1)} ms, turn ${total.toFixed(1)} ms`);
await t.close();
