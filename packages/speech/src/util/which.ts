import { constants } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";

/** Absolute path of an executable found on PATH (or the path itself if given), else undefined. */
export async function findExecutable(command: string): Promise<string | undefined> {
  const candidates = command.includes("/")
    ? [command]
    : (process.env.PATH ?? "")
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}
