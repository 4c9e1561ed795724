/** What authentication needs to know about a valid API key. */
export interface VerifiedApiKey {
  id: string;
  orgId: string;
  scopes: string[];
}

/**
 * Recently verified API keys by secret hash, so a busy integration (or a voice call posting
 * every utterance) does not cost a database read per request. Revoking a key in this
 * process evicts it at once; entries also expire after `ttlMs`, which bounds how long a
 * key revoked through another server instance keeps working there.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { key: VerifiedApiKey; expiresAt: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(hash: string, now = Date.now()): VerifiedApiKey | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.key;
  }

  set(hash: string, key: VerifiedApiKey, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) {
      // Oldest insertion first: a Map iterates in insertion order.
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(hash, { key, expiresAt: now + this.ttlMs });
  }

  /** Forgets a key by id (it was revoked or deleted). */
  evict(keyId: string): void {
    for (const [hash, entry] of this.entries) {
      if (entry.key.id === keyId) this.entries.delete(hash);
    }
  }
}
