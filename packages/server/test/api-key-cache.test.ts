import { describe, expect, it } from "vitest";
import { ApiKeyCache } from "../src/auth/api-key-cache.ts";

const key = (id: string) => ({ id, orgId: "org-1", scopes: ["*"] });

describe("ApiKeyCache", () => {
  it("returns a verified key until it expires", () => {
    const cache = new ApiKeyCache(1_000);
    cache.set("hash-a", key("a"), 0);
    expect(cache.get("hash-a", 999)).toEqual(key("a"));
    expect(cache.get("hash-a", 1_000)).toBeUndefined();
    expect(cache.get("hash-unknown", 0)).toBeUndefined();
  });

  it("forgets a revoked key at once, by id, leaving the others", () => {
    const cache = new ApiKeyCache(60_000);
    cache.set("hash-a", key("a"), 0);
    cache.set("hash-b", key("b"), 0);
    cache.evict("a");
    expect(cache.get("hash-a", 1)).toBeUndefined();
    expect(cache.get("hash-b", 1)).toEqual(key("b"));
  });

  it("stays bounded, dropping the oldest entry first", () => {
    const cache = new ApiKeyCache(60_000, 2);
    cache.set("hash-a", key("a"), 0);
    cache.set("hash-b", key("b"), 0);
    cache.set("hash-c", key("c"), 0);
    expect(cache.get("hash-a", 1)).toBeUndefined();
    expect(cache.get("hash-b", 1)).toEqual(key("b"));
    expect(cache.get("hash-c", 1)).toEqual(key("c"));
  });
});
