import { and, eq, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Database } from "./database.ts";

/**
 * The only way to reach tenant-owned rows. An OrgScope is created by the request's
 * authentication step for the organization the caller belongs to; repository functions
 * take it instead of a bare database handle, so a query without an org filter cannot be
 * written by accident.
 */
export class OrgScope {
  readonly db: Database;
  readonly orgId: string;

  constructor(db: Database, orgId: string) {
    if (!orgId) throw new Error("OrgScope requires an organization id");
    this.db = db;
    this.orgId = orgId;
  }

  /** `table.org_id = scope` combined with any further conditions. */
  where(table: { orgId: PgColumn }, ...conditions: (SQL | undefined)[]): SQL {
    return and(eq(table.orgId, this.orgId), ...conditions) as SQL;
  }
}
