import type { Handler } from "../../lib/openapi.ts";
import { orgOf } from "../../middleware/authorize.ts";
import { dryRunTool } from "../../tools/dry-run.ts";
import type * as routes from "./tools.routes.ts";
import * as service from "./tools.service.ts";

export const createTool: Handler<typeof routes.createTool> = async (c) => {
  const row = await service.createTool(c.get("deps"), orgOf(c).scope, c.req.valid("json"));
  return c.json(service.toolDto(row), 201);
};

export const listTools: Handler<typeof routes.listTools> = async (c) => {
  const rows = await service.listTools(orgOf(c).scope);
  return c.json({ data: rows.map((row) => service.toolDto(row)) }, 200);
};

export const getTool: Handler<typeof routes.getTool> = async (c) => {
  const row = await service.findTool(orgOf(c).scope, c.req.valid("param").id);
  return c.json(service.toolDto(row), 200);
};

export const updateTool: Handler<typeof routes.updateTool> = async (c) => {
  const row = await service.updateTool(
    c.get("deps"),
    orgOf(c).scope,
    c.req.valid("param").id,
    c.req.valid("json"),
  );
  return c.json(service.toolDto(row), 200);
};

export const deleteTool: Handler<typeof routes.deleteTool> = async (c) => {
  await service.deleteTool(orgOf(c).scope, c.req.valid("param").id);
  return c.body(null, 204);
};

export const testTool: Handler<typeof routes.testTool> = async (c) => {
  const row = await service.findTool(orgOf(c).scope, c.req.valid("param").id);
  const result = await dryRunTool(c.get("deps"), row, c.req.valid("json"), c.req.raw.signal);
  return c.json(result, 200);
};
