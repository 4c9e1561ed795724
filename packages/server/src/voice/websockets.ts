import type { Server } from "node:http";
import { createNodeWebSocket, type NodeWebSocket } from "@hono/node-ws";
import type { Hono } from "hono";

export type UpgradeWebSocket = NodeWebSocket["upgradeWebSocket"];

// biome-ignore lint/suspicious/noExplicitAny: any Hono app can carry WebSocket routes
type AnyApp = Hono<any, any, any>;

const injectors = new WeakMap<AnyApp, NodeWebSocket["injectWebSocket"]>();

/**
 * WebSocket support for an app: routes use the returned upgrade helper, and whoever
 * listens on a port hands its server to `injectWebSockets` so upgrade requests reach them.
 */
export function createAppWebSockets(app: AnyApp): UpgradeWebSocket {
  const sockets = createNodeWebSocket({ app });
  injectors.set(app, sockets.injectWebSocket);
  return sockets.upgradeWebSocket;
}

/** Routes HTTP upgrade requests on `server` to the app's WebSocket routes. */
export function injectWebSockets(app: AnyApp, server: Server): void {
  injectors.get(app)?.(server);
}
