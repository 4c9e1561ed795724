import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for a paid embedding API, speaking OpenAI's `POST /v1/embeddings` wire
 * format. Its "model" maps words to a few topics, so a question and a passage about the
 * same topic are close even when they share no word — what a real embedding model does
 * and full-text search cannot. Model `topics-v2` puts the topics in a different order (a
 * different model: vectors not comparable with `topics`'s).
 */
const TOPICS: string[][] = [
  [
    "pay",
    "paying",
    "payment",
    "payments",
    "card",
    "cards",
    "visa",
    "mastercard",
    "cash",
    "bill",
    "invoice",
    "settle",
    "money",
    "owe",
  ],
  ["park", "parking", "car", "garage", "vehicle", "drive", "lot"],
  ["open", "opening", "hours", "close", "closed", "weekday", "weekend", "monday", "saturday"],
  ["pet", "pets", "dog", "dogs", "cat", "animal", "animals"],
  ["clean", "cleaning", "whitening", "teeth", "tooth", "dentist", "checkup", "hygiene"],
];

export function topicVector(text: string, model: string): number[] {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  const vector = TOPICS.map((topic) => words.filter((w) => topic.includes(w)).length);
  vector.push(0.05); // every text shares a little, so no vector is all zeros
  return model === "topics-v2" ? [...vector].reverse().concat([0]) : vector;
}

export interface EmbeddingFixture {
  url: string;
  /** Models named in the requests received, in order. */
  models: string[];
  /** Texts embedded so far. */
  inputs: string[];
  /** Makes every following request fail with this HTTP status (undefined: answer normally). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startEmbeddingFixture(): Promise<EmbeddingFixture> {
  const models: string[] = [];
  const inputs: string[] = [];
  let failure: number | undefined;
  const server: Server = createServer(async (req, res) => {
    const body: Buffer[] = [];
    for await (const part of req) body.push(part as Buffer);
    if (req.method !== "POST" || req.url !== "/v1/embeddings") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "Not found", type: "invalid_request_error" } }));
      return;
    }
    if (failure) {
      res.writeHead(failure, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error" } }),
      );
      return;
    }
    const request = JSON.parse(Buffer.concat(body).toString("utf8")) as {
      model: string;
      input: string | string[];
    };
    const texts = Array.isArray(request.input) ? request.input : [request.input];
    models.push(request.model);
    inputs.push(...texts);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        object: "list",
        data: texts.map((text, index) => ({
          object: "embedding",
          index,
          embedding: topicVector(text, request.model),
        })),
        model: request.model,
        usage: { prompt_tokens: texts.length, total_tokens: texts.length },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    models,
    inputs,
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
