import { z } from "@hono/zod-openapi";
import {
  EmailSchema,
  OrganizationSchema,
  PasswordSchema,
  TokenPairSchema,
  UserSchema,
} from "../../lib/account-schemas.ts";
import { defineRoute } from "../../lib/openapi.ts";
import { credentialRateLimit } from "../../middleware/limits.ts";

const tags = ["Auth"];

export const SignupBody = z
  .strictObject({
    email: EmailSchema,
    password: PasswordSchema,
    name: z.string().trim().min(1).max(200).openapi({ example: "Ada Lovelace" }),
    organizationName: z.string().trim().min(1).max(200).optional().openapi({ example: "Lovelace Dental" }),
    invitationToken: z.string().min(1).optional().openapi({ description: "Join the inviting organization." }),
  })
  .refine((b) => b.organizationName || b.invitationToken, {
    message: "organizationName is required unless you sign up with an invitationToken",
    path: ["organizationName"],
  })
  .openapi("SignupRequest");

export const signup = defineRoute("public", {
  method: "post",
  path: "/auth/signup",
  middleware: [credentialRateLimit()],
  tags,
  summary: "Create an account and an organization (or join one by invitation)",
  request: { body: { content: { "application/json": { schema: SignupBody } } } },
  responses: {
    201: {
      description: "Signed up",
      content: {
        "application/json": {
          schema: z
            .object({ user: UserSchema, organization: OrganizationSchema })
            .extend(TokenPairSchema.shape)
            .openapi("SignupResponse"),
        },
      },
    },
    409: { description: "The email is already registered" },
  },
});

export const login = defineRoute("public", {
  method: "post",
  path: "/auth/login",
  middleware: [credentialRateLimit()],
  tags,
  summary: "Sign in with email and password",
  request: {
    body: {
      content: {
        "application/json": {
          schema: z
            .strictObject({
              email: EmailSchema,
              password: z.string().min(1).max(256),
              invitationToken: z.string().min(1).optional(),
            })
            .openapi("LoginRequest"),
        },
      },
    },
  },
  responses: {
    200: {
      description: "Signed in",
      content: {
        "application/json": {
          schema: z
            .object({ user: UserSchema, organizations: z.array(OrganizationSchema) })
            .extend(TokenPairSchema.shape)
            .openapi("LoginResponse"),
        },
      },
    },
  },
});

const RefreshBody = z.strictObject({ refreshToken: z.string().min(1).openapi({ example: "ort_…" }) });

export const refresh = defineRoute("public", {
  method: "post",
  path: "/auth/refresh",
  middleware: [credentialRateLimit()],
  tags,
  summary: "Exchange a refresh token for a new token pair (rotation with reuse detection)",
  request: { body: { content: { "application/json": { schema: RefreshBody } } } },
  responses: {
    200: { description: "New tokens", content: { "application/json": { schema: TokenPairSchema } } },
  },
});

export const logout = defineRoute("public", {
  method: "post",
  path: "/auth/logout",
  tags,
  summary: "Revoke a refresh token and every token rotated from the same login",
  request: { body: { content: { "application/json": { schema: RefreshBody } } } },
  responses: { 204: { description: "Signed out" } },
});
