import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./accounts.ts";
import { agents } from "./agents.ts";

export const TELEPHONY_PROVIDERS = ["twilio"] as const;
export type TelephonyProvider = (typeof TELEPHONY_PROVIDERS)[number];

/**
 * A phone number the organization routes to an agent. Incoming calls find their number by
 * `number` (E.164) before anyone is authenticated, so a number belongs to one organization
 * only; the provider's auth token (used to verify its webhook signatures) is encrypted.
 */
export const phoneNumbers = pgTable(
  "phone_numbers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    number: text("number").notNull(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: TELEPHONY_PROVIDERS }).notNull().default("twilio"),
    /** AES-256-GCM ciphertext (see server `crypto/secret-box.ts`); never returned by the API. */
    authTokenEncrypted: text("auth_token_encrypted").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("phone_numbers_number_key").on(t.number), index("phone_numbers_org_idx").on(t.orgId)],
);
