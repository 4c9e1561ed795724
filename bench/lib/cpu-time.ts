import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time spent, in milliseconds, by this process and by the machine's PostgreSQL server
 * processes (when PostgreSQL runs locally on Linux). Wall-clock throughput on a shared
 * 2-core machine swings with whatever else is running; CPU time per unit of work does not,
 * and turns it into a capacity figure: cores × 1000 / (CPU ms per turn).
 */
export interface CpuSample {
  processMs: number;
  postgresMs: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * PostgreSQL backends serving `database` (their command line names it) plus the server's
 * WAL writer, whose flushes the measured work causes; other databases' backends (other
 * work on a shared machine) are left out.
 */
function postgresCpuMs(database: string | undefined): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return 0;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!database || !(command.includes(` ${database} `) || command.includes("walwriter"))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** `database`: the PostgreSQL database the work uses, if any. */
export function sampleCpu(database?: string): CpuSample {
  const usage = process.cpuUsage();
  return { processMs: (usage.user + usage.system) / 1000, postgresMs: postgresCpuMs(database) };
}

export function cpuSince(start: CpuSample, database?: string): CpuSample {
  const now = sampleCpu(database);
  return { processMs: now.processMs - start.processMs, postgresMs: now.postgresMs - start.postgresMs };
}
