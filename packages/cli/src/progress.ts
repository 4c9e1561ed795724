/** Where a progress display writes: a terminal gets a redrawn bar, anything else plain lines. */
export interface ProgressTarget {
  /** A terminal: text is written as is (carriage returns redraw the line). */
  tty?: { write(text: string): void; columns: number };
  /** One whole line (used when there is no terminal, and for the final line). */
  line(text: string): void;
  now?: () => number;
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

const REDRAW_MS = 100;
const PLAIN_STEP_PERCENT = 10;
const PLAIN_STEP_BYTES_UNKNOWN_TOTAL = 16 * 1024 * 1024;

/**
 * A download progress display. On a terminal: one line redrawn at most ten times a second
 * with a bar, percentage, bytes, speed and time left. Elsewhere (logs, CI, pipes): a plain
 * line every 10 % (every 16 MB when the size is unknown), so logs stay short and readable.
 */
export class ProgressBar {
  private readonly now: () => number;
  private readonly started: number;
  private lastDraw = 0;
  private lastPlainStep = -1;
  private lastWidth = 0;
  private received = 0;
  private total: number | undefined;
  private finished = false;

  constructor(
    private readonly label: string,
    private readonly target: ProgressTarget,
  ) {
    this.now = target.now ?? Date.now;
    this.started = this.now();
  }

  update(received: number, total: number | undefined): void {
    if (this.finished) return;
    this.received = received;
    this.total = total;
    if (this.target.tty) {
      const now = this.now();
      if (now - this.lastDraw < REDRAW_MS && received !== total) return;
      this.lastDraw = now;
      this.draw(this.render(this.target.tty.columns));
      return;
    }
    const step =
      total && total > 0
        ? Math.floor((received / total) * (100 / PLAIN_STEP_PERCENT))
        : Math.floor(received / PLAIN_STEP_BYTES_UNKNOWN_TOTAL);
    if (step > this.lastPlainStep) {
      this.lastPlainStep = step;
      this.target.line(this.summary());
    }
  }

  /** Ends the display: the bar line is completed (or wiped) and `message` printed, if any. */
  finish(message?: string): void {
    if (this.finished) return;
    this.finished = true;
    if (this.target.tty && this.lastWidth > 0) {
      this.target.tty.write(`\r${" ".repeat(this.lastWidth)}\r`);
    }
    if (message) this.target.line(message);
  }

  private seconds(): number {
    return Math.max(0.001, (this.now() - this.started) / 1000);
  }

  private summary(): string {
    const rate = this.received / this.seconds();
    const amount = this.total
      ? `${Math.floor((this.received / this.total) * 100)}% (${formatBytes(this.received)} / ${formatBytes(this.total)})`
      : formatBytes(this.received);
    return `${this.label}: ${amount} at ${formatBytes(rate)}/s`;
  }

  /** `label [#####-----]  50%  1.2 MB / 2.4 MB  3.1 MB/s  ETA 1s`, fitted to the width. */
  render(columns: number): string {
    const rate = this.received / this.seconds();
    const tail = this.total
      ? `${String(Math.floor((this.received / this.total) * 100)).padStart(3)}%  ${formatBytes(this.received)} / ${formatBytes(this.total)}  ${formatBytes(rate)}/s  ETA ${formatDuration((this.total - this.received) / (rate || 1))}`
      : `${formatBytes(this.received)}  ${formatBytes(rate)}/s`;
    const room = columns - this.label.length - tail.length - 6;
    if (!this.total || room < 10) return `${this.label}  ${tail}`.slice(0, Math.max(0, columns - 1));
    const width = Math.min(40, room);
    const filled = Math.round((Math.min(this.received, this.total) / this.total) * width);
    return `${this.label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${tail}`;
  }

  private draw(text: string): void {
    const pad = this.lastWidth > text.length ? " ".repeat(this.lastWidth - text.length) : "";
    this.target.tty!.write(`\r${text}${pad}`);
    this.lastWidth = text.length;
  }
}
