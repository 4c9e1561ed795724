import { z } from "@hono/zod-openapi";
import { OrganizationSchema } from "../../lib/account-schemas.ts";
import { defineRoute } from "../../lib/openapi.ts";

const tags = ["Organizations"];
const NameBody = z
  .strictObject({ name: z.string().trim().min(1).max(200).openapi({ example: "Lovelace Dental" }) })
  .openapi("OrganizationRequest");
const json = { "application/json": { schema: OrganizationSchema } };

export const listOrganizations = defineRoute("user", {
  method: "get",
  path: "/organizations",
  tags,
  summary: "Organizations you belong to",
  responses: {
    200: {
      description: "Organizations",
      content: { "application/json": { schema: z.object({ data: z.array(OrganizationSchema) }) } },
    },
  },
});

export const createOrganization = defineRoute("user", {
  method: "post",
  path: "/organizations",
  tags,
  summary: "Create another organization; you become its owner",
  request: { body: { content: { "application/json": { schema: NameBody } } } },
  responses: { 201: { description: "Created", content: json } },
});

export const getCurrentOrganization = defineRoute(
  { role: "viewer", scope: "organization:read" },
  {
    method: "get",
    path: "/organization",
    tags,
    summary: "The organization this request acts in (X-Organization-Id, default your first)",
    responses: { 200: { description: "Organization", content: json } },
  },
);

export const updateCurrentOrganization = defineRoute(
  { role: "admin", scope: "organization:write" },
  {
    method: "patch",
    path: "/organization",
    tags,
    summary: "Rename the current organization",
    request: { body: { content: { "application/json": { schema: NameBody } } } },
    responses: { 200: { description: "Updated", content: json } },
  },
);
