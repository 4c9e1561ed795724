/** What commands print through, so tests can capture it and the terminal can be detected. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Standard error when it is a terminal: progress bars redraw in place there. */
  errTty?: { write(text: string): void; columns: number };
}
