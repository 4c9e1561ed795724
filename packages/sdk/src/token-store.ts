/** The pair a sign-in returns. The refresh token works once: each refresh rotates it. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/** Where the client keeps the signed-in user's tokens. */
export interface TokenStore {
  get(): TokenPair | null;
  set(tokens: TokenPair | null): void;
  /** Calls `listener` after every change (sign-in, refresh, sign-out); returns an unsubscribe. */
  subscribe(listener: (tokens: TokenPair | null) => void): () => void;
}

function withListeners(read: () => TokenPair | null, write: (tokens: TokenPair | null) => void): TokenStore {
  const listeners = new Set<(tokens: TokenPair | null) => void>();
  return {
    get: read,
    set(tokens) {
      write(tokens);
      for (const listener of listeners) listener(tokens);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Keeps tokens in memory only: gone when the process or page ends. */
export function memoryTokenStore(initial: TokenPair | null = null): TokenStore {
  let current = initial;
  return withListeners(
    () => current,
    (tokens) => {
      current = tokens;
    },
  );
}

/** The part of the Web Storage API a token store needs (localStorage, sessionStorage). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Keeps tokens in a Web Storage area so a signed-in browser tab survives a reload. */
export function storageTokenStore(storage: KeyValueStorage, key = "oratio.tokens"): TokenStore {
  return withListeners(
    () => {
      const raw = storage.getItem(key);
      if (!raw) return null;
      try {
        const parsed = JSON.parse(raw) as Partial<TokenPair>;
        if (typeof parsed.accessToken === "string" && typeof parsed.refreshToken === "string") {
          return { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken };
        }
      } catch {
        // A corrupt entry counts as signed out.
      }
      return null;
    },
    (tokens) => {
      if (tokens) storage.setItem(key, JSON.stringify(tokens));
      else storage.removeItem(key);
    },
  );
}
