import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { BlockedDestinationError, openGuardedWebSocket, type WebSocketLike } from "../src/index.ts";

let server: WebSocketServer;
let origin: string;
const handshakes: { url: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  origin = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on("connection", (socket, request) => {
    handshakes.push({ url: request.url ?? "", authorization: request.headers.authorization });
    socket.on("message", (data) => socket.send(`echo:${data.toString()}`));
  });
});

afterAll(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
});

function firstMessage(socket: WebSocketLike, send: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () => socket.send(send));
    socket.addEventListener("message", (event) => resolve(event.data));
    socket.addEventListener("error", () => reject(new Error("socket error")));
  });
}

describe("openGuardedWebSocket", () => {
  it("connects to an allow-listed destination with the handshake headers", async () => {
    const socket = await openGuardedWebSocket(`${origin}/v1/listen?encoding=linear16`, {
      allowList: "127.0.0.1",
      headers: { authorization: "Token secret" },
    });
    expect(await firstMessage(socket, "hello")).toBe("echo:hello");
    socket.close();
    expect(handshakes.at(-1)).toEqual({ url: "/v1/listen?encoding=linear16", authorization: "Token secret" });
  });

  it("refuses a loopback destination that is not allow-listed, before connecting", async () => {
    const before = handshakes.length;
    await expect(openGuardedWebSocket(`${origin}/v1/listen`, { allowList: "" })).rejects.toBeInstanceOf(
      BlockedDestinationError,
    );
    expect(handshakes.length).toBe(before);
  });

  it("refuses schemes other than ws and wss", async () => {
    await expect(openGuardedWebSocket("file:///etc/passwd", { allowList: "" })).rejects.toThrow(
      /file: scheme is not allowed/,
    );
  });

  it("refuses a hostname that resolves to a private address", async () => {
    await expect(
      openGuardedWebSocket("wss://speech.example.test/v1/listen", {
        allowList: "",
        resolve: async () => [{ address: "10.0.0.7", family: 4 }],
      }),
    ).rejects.toThrow(/10\.0\.0\.7/);
  });
});
