import { cleanup, configure } from "@testing-library/react";
import { afterEach, beforeEach, inject } from "vitest";

// Pages wait on a real server (uploads are parsed and indexed) on shared, busy machines.
configure({ asyncUtilTimeout: 10_000 });

interface HappyDomWindow {
  happyDOM: { setURL(url: string): void };
}

// Files that opt into the node environment (server-side tests) have no window.
const inBrowserEnvironment = typeof window !== "undefined";

// Same origin as the server, as when the server hosts the dashboard.
beforeEach(() => {
  if (!inBrowserEnvironment) return;
  (window as unknown as HappyDomWindow).happyDOM.setURL(`${inject("apiUrl")}/`);
});

afterEach(() => {
  if (!inBrowserEnvironment) return;
  cleanup();
  window.localStorage.clear();
  document.documentElement.classList.remove("dark");
});
