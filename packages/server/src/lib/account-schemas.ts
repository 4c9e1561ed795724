import { z } from "@hono/zod-openapi";
import { ROLES } from "@oratio/db";
import { Timestamp } from "./openapi.ts";

export const RoleSchema = z.enum(ROLES).openapi({ example: "member" });

export const EmailSchema = z
  .email()
  .max(254)
  .transform((v) => v.toLowerCase())
  .openapi({ example: "ada@example.com" });

export const PasswordSchema = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(256)
  .openapi({ example: "correct horse battery staple" });

export const UserSchema = z
  .object({ id: z.uuid(), email: z.string(), name: z.string(), createdAt: Timestamp })
  .openapi("User");

export const OrganizationSchema = z
  .object({ id: z.uuid(), name: z.string(), role: RoleSchema, createdAt: Timestamp })
  .openapi("Organization");

export const TokenPairSchema = z.object({ accessToken: z.string(), refreshToken: z.string() });

export function userDto(u: { id: string; email: string; name: string; createdAt: Date }) {
  return { id: u.id, email: u.email, name: u.name, createdAt: u.createdAt.toISOString() };
}
