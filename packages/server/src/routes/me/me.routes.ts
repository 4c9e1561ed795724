import { z } from "@hono/zod-openapi";
import { OrganizationSchema, UserSchema } from "../../lib/account-schemas.ts";
import { defineRoute } from "../../lib/openapi.ts";

export const getMe = defineRoute("user", {
  method: "get",
  path: "/me",
  tags: ["Auth"],
  summary: "The signed-in user and their organizations with roles",
  responses: {
    200: {
      description: "Current user",
      content: {
        "application/json": {
          schema: z
            .object({
              user: UserSchema,
              organizations: z.array(OrganizationSchema),
              currentOrganizationId: z.uuid().nullable(),
            })
            .openapi("Me"),
        },
      },
    },
  },
});
