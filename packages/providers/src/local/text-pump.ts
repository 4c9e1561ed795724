/**
 * Turns a callback-style generation (onTextChunk + a final promise) into an async stream of
 * chunks. If the consumer stops early, `stop` is called and the generation is awaited so
 * that its context can be freed safely.
 */
export async function* pumpText<T>(
  start: (onText: (text: string) => void) => Promise<T>,
  stop: () => void,
  onDone: (result: T) => void,
): AsyncGenerator<string> {
  const chunks: string[] = [];
  let wake: (() => void) | undefined;
  let settled = false;
  let failure: { error: unknown } | undefined;
  const generation = start((text) => {
    chunks.push(text);
    wake?.();
  }).then(
    (result) => {
      settled = true;
      onDone(result);
      wake?.();
    },
    (error: unknown) => {
      settled = true;
      failure = { error };
      wake?.();
    },
  );
  try {
    while (true) {
      if (chunks.length > 0) {
        yield chunks.shift()!;
        continue;
      }
      if (settled) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    if (failure) throw failure.error;
  } finally {
    if (!settled) stop();
    await generation;
  }
}
