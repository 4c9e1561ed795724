import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/env.ts";

describe("configuration", () => {
  it("has an embedded default for every setting", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.resolve("data"));
    expect(config.modelsDir).toBe(path.resolve("data/models"));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.secretKey).toBeUndefined();
    expect(config.corsOrigins).toEqual([]);
  });

  it("derives the models dir from the data dir unless set, and treats empty values as unset", () => {
    expect(loadConfig({ ORATIO_DATA_DIR: "/srv/oratio", PORT: "" }).modelsDir).toBe("/srv/oratio/models");
    expect(loadConfig({ ORATIO_MODELS_DIR: "/models" }).modelsDir).toBe("/models");
    expect(loadConfig({ ORATIO_CORS_ORIGINS: "https://a.example, https://b.example" }).corsOrigins).toEqual([
      "https://a.example",
      "https://b.example",
    ]);
  });

  it("names every bad variable in one error", () => {
    expect(() =>
      loadConfig({ PORT: "70000", ORATIO_SECRET_KEY: "short", ORATIO_TRUST_PROXY: "maybe" }),
    ).toThrowError(ConfigError);
    try {
      loadConfig({ PORT: "70000", ORATIO_SECRET_KEY: "short", ORATIO_TRUST_PROXY: "maybe" });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("PORT");
      expect(message).toContain("ORATIO_SECRET_KEY: must be at least 32 characters");
      expect(message).toContain("ORATIO_TRUST_PROXY");
    }
  });

  it("grows the heap to twice its live size before a full collection unless told otherwise", () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(100);
    expect(loadConfig({ ORATIO_HEAP_GROWTH_PERCENT: "0" }).heapGrowthPercent).toBe(0);
    expect(() => loadConfig({ ORATIO_HEAP_GROWTH_PERCENT: "500" })).toThrowError(
      /ORATIO_HEAP_GROWTH_PERCENT/,
    );
    expect(() => loadConfig({ ORATIO_HEAP_GROWTH_PERCENT: "lots" })).toThrowError(
      /ORATIO_HEAP_GROWTH_PERCENT/,
    );
  });
});
