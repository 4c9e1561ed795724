import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Samples per chunk of a track: about a second at 16 kHz. */
export const CHUNK_SAMPLES = 16384;
const CHUNK_BYTES = CHUNK_SAMPLES * 2;

/**
 * Chunk buffers given back by tracks that moved them to disk, for the next chunk any track
 * needs. Every new ArrayBuffer counts towards V8's external memory, and 64 MB of it starts
 * a full garbage collection whether or not the buffers are still in use; fifty calls
 * recording both sides allocate that in 20 s. Reused buffers keep a server's recordings from
 * triggering collections at all.
 */
const sparePool: Int16Array[] = [];
const MAX_SPARE = 256;

function takeChunk(): Int16Array {
  const chunk = sparePool.pop();
  if (!chunk) return new Int16Array(CHUNK_SAMPLES);
  chunk.fill(0);
  return chunk;
}

function giveBack(chunk: Int16Array): void {
  if (sparePool.length < MAX_SPARE) sparePool.push(chunk);
}

/** Closes the scratch file of a track dropped without dispose() (a session never released). */
const abandonedFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {}
});

export interface PcmTrackOptions {
  /**
   * Where finished chunks go once they are older than `keepInMemorySamples`; `false` keeps
   * the whole track in memory. Default: the system temp directory.
   */
  spillDirectory?: string | false;
  /** Recent audio kept in memory for writes near the end (agent audio, barge-in cuts). */
  keepInMemorySamples: number;
}

/**
 * A mono PCM16 track that can be written at any offset. It grows by whole chunks, never by
 * copying (a doubling array would leave its old copies for the garbage collector, whose
 * pauses make live audio miss its 20 ms deadlines), and chunks older than the recent window
 * move to a scratch file, so an hour-long call holds a few seconds of audio in memory rather
 * than 115 MB per side.
 *
 * The scratch file is written with positional synchronous writes: one 32 KB write a second
 * per track lands in the page cache in microseconds, and a write into a chunk already on
 * disk (rare: a late agent frame) goes to its exact place, so the file never depends on the
 * order of asynchronous writes. Chunks never written are holes in the file and read as
 * silence. The file is unlinked as soon as it is opened where the system allows, so a crash
 * leaves nothing behind; `dispose()` closes it.
 */
export class PcmTrack {
  /** In-memory chunks by index; `undefined` is silence or a chunk already on disk. */
  private readonly chunks: (Int16Array | undefined)[] = [];
  /** Chunks below this index live in the scratch file. */
  private spilledChunks = 0;
  private file: { fd: number; path: string } | undefined;
  private disposed = false;
  length = 0;

  /** Samples kept in memory behind the end of the track; Infinity when nothing spills. */
  private readonly keepInMemorySamples: number;

  constructor(private readonly options: PcmTrackOptions) {
    this.keepInMemorySamples =
      options.spillDirectory === false ? Number.POSITIVE_INFINITY : options.keepInMemorySamples;
  }

  writeAt(offset: number, samples: Int16Array): void {
    if (this.disposed) return;
    // Skipped time between writes stays silent (space reused after a truncate is not zero).
    if (offset > this.length) this.zero(this.length, offset);
    let position = offset;
    let source = 0;
    while (source < samples.length) {
      const index = Math.floor(position / CHUNK_SAMPLES);
      const within = position % CHUNK_SAMPLES;
      const count = Math.min(CHUNK_SAMPLES - within, samples.length - source);
      const part = samples.subarray(source, source + count);
      if (index < this.spilledChunks) this.writeToFile(index, within, part);
      else this.chunk(index).set(part, within);
      position += count;
      source += count;
    }
    this.length = Math.max(this.length, offset + samples.length);
    this.spillOld();
  }

  truncate(length: number): void {
    if (length < this.length) this.length = Math.max(0, length);
  }

  /** The whole track, read back from the scratch file where needed. */
  view(): Int16Array {
    const out = new Int16Array(this.length);
    for (let index = 0; index * CHUNK_SAMPLES < this.length; index++) {
      const start = index * CHUNK_SAMPLES;
      const count = Math.min(CHUNK_SAMPLES, this.length - start);
      if (index < this.spilledChunks) {
        if (this.file) readSync(this.file.fd, out, start * 2, count * 2, start * 2);
      } else {
        const chunk = this.chunks[index];
        if (chunk) out.set(chunk.subarray(0, count), start);
      }
    }
    return out;
  }

  /** Closes and removes the scratch file and gives the chunk buffers back. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const chunk of this.chunks) if (chunk) giveBack(chunk);
    this.chunks.length = 0;
    this.closeFile();
  }

  /** Chunks held in memory (for tests and diagnostics). */
  get chunksInMemory(): number {
    return this.chunks.reduce((count, chunk) => count + (chunk ? 1 : 0), 0);
  }

  private zero(from: number, to: number): void {
    let position = from;
    while (position < to) {
      const index = Math.floor(position / CHUNK_SAMPLES);
      const within = position % CHUNK_SAMPLES;
      const count = Math.min(CHUNK_SAMPLES - within, to - position);
      if (index < this.spilledChunks) this.writeToFile(index, within, new Int16Array(count));
      // A chunk never written needs no buffer for silence: absent reads as zero.
      else this.chunks[index]?.fill(0, within, within + count);
      position += count;
    }
  }

  private chunk(index: number): Int16Array {
    while (this.chunks.length <= index) this.chunks.push(undefined);
    let chunk = this.chunks[index];
    if (!chunk) {
      chunk = takeChunk();
      this.chunks[index] = chunk;
    }
    return chunk;
  }

  /** Moves whole chunks older than the recent window to the scratch file. */
  private spillOld(): void {
    const settled = Math.floor(Math.max(0, this.length - this.keepInMemorySamples) / CHUNK_SAMPLES);
    while (this.spilledChunks < settled) {
      const index = this.spilledChunks;
      const chunk = this.chunks[index];
      if (chunk) {
        this.writeToFile(index, 0, chunk);
        giveBack(chunk);
        this.chunks[index] = undefined;
      }
      this.spilledChunks++;
    }
  }

  private writeToFile(index: number, within: number, samples: Int16Array): void {
    const fd = this.openFile();
    const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
    writeSync(fd, bytes, 0, bytes.length, index * CHUNK_BYTES + within * 2);
  }

  private openFile(): number {
    if (this.file) return this.file.fd;
    const directory = this.options.spillDirectory || tmpdir();
    mkdirSync(directory, { recursive: true });
    const file = path.join(directory, `oratio-recording-${randomUUID()}.pcm`);
    const fd = openSync(file, "wx+", 0o600);
    this.file = { fd, path: file };
    abandonedFiles.register(this, fd, this);
    // Unlinked while open: the data stays reachable through the descriptor and vanishes with
    // it, even if the process dies. Where unlinking an open file is refused, dispose() does it.
    try {
      rmSync(file, { force: true });
    } catch {}
    return fd;
  }

  private closeFile(): void {
    if (!this.file) return;
    abandonedFiles.unregister(this);
    try {
      closeSync(this.file.fd);
    } catch {}
    rmSync(this.file.path, { force: true });
    this.file = undefined;
  }
}
