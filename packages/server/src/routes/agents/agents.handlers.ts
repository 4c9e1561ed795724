import type { Handler } from "../../lib/openapi.ts";
import { actorUserId as actor, orgOf } from "../../middleware/authorize.ts";
import type * as routes from "./agents.routes.ts";
import * as service from "./agents.service.ts";
import { exportAgents as exportSet, importAgents as importSet } from "./agents.transfer.ts";

export const createAgent: Handler<typeof routes.createAgent> = async (c) => {
  const { scope } = orgOf(c);
  const { publish } = c.req.valid("query");
  const { agent, config } = await service.createAgent(scope, c.req.valid("json"), {
    publish,
    userId: actor(c),
  });
  return c.json(service.agentDto(agent, config), 201);
};

export const listAgents: Handler<typeof routes.listAgents> = async (c) => {
  const rows = await service.listAgents(orgOf(c).scope);
  return c.json({ data: rows.map((r) => service.agentDto(r.agent, r.config)) }, 200);
};

export const getAgent: Handler<typeof routes.getAgent> = async (c) => {
  const { scope } = orgOf(c);
  const agent = await service.findAgent(scope, c.req.valid("param").id);
  const latest = await service.loadVersion(scope, agent.id, agent.latestVersion);
  return c.json(service.agentDto(agent, latest.config), 200);
};

export const updateAgent: Handler<typeof routes.updateAgent> = async (c) => {
  const { scope } = orgOf(c);
  const { publish } = c.req.valid("query");
  const { agent, config } = await service.updateAgent(scope, c.req.valid("param").id, c.req.valid("json"), {
    publish,
    userId: actor(c),
  });
  return c.json(service.agentDto(agent, config), 200);
};

export const deleteAgent: Handler<typeof routes.deleteAgent> = async (c) => {
  await service.archiveAgent(orgOf(c).scope, c.req.valid("param").id);
  return c.body(null, 204);
};

export const listVersions: Handler<typeof routes.listVersions> = async (c) =>
  c.json({ data: await service.listVersions(orgOf(c).scope, c.req.valid("param").id) }, 200);

export const getVersion: Handler<typeof routes.getVersion> = async (c) => {
  const { scope } = orgOf(c);
  const { id, version } = c.req.valid("param");
  const agent = await service.findAgent(scope, id);
  const row = await service.loadVersion(scope, id, version);
  return c.json(
    {
      version: row.version,
      published: row.version === agent.publishedVersion,
      note: row.note,
      config: row.config,
      createdAt: row.createdAt.toISOString(),
    },
    200,
  );
};

export const diffVersions: Handler<typeof routes.diffVersions> = async (c) => {
  const { from, to } = c.req.valid("query");
  const changes = await service.diffVersions(orgOf(c).scope, c.req.valid("param").id, from, to);
  return c.json({ from, to, changes }, 200);
};

export const publishVersion: Handler<typeof routes.publishVersion> = async (c) => {
  const { scope } = orgOf(c);
  const { id } = c.req.valid("param");
  const agent = await service.publishVersion(scope, id, c.req.valid("json").version);
  const latest = await service.loadVersion(scope, id, agent.latestVersion);
  return c.json(service.agentDto(agent, latest.config), 200);
};

export const exportAgents: Handler<typeof routes.exportAgents> = async (c) =>
  c.json(await exportSet(orgOf(c).scope, c.req.valid("json").agentIds), 200);

export const importAgents: Handler<typeof routes.importAgents> = async (c) => {
  const { publish } = c.req.valid("query");
  const { providerId, ...set } = c.req.valid("json");
  const created = await importSet(orgOf(c).scope, set, { providerId, publish, userId: actor(c) });
  return c.json({ data: created }, 201);
};
