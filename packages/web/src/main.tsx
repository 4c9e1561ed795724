import { setNonce } from "get-nonce";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import { createBrowserClient } from "./lib/api.tsx";
import { applyTheme } from "./lib/theme.tsx";
import "./styles.css";

// Radix's scroll lock injects a <style>; the page's CSP nonce lets it through.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce;
if (nonce) setNonce(nonce);

// Before the first paint, so a dark-mode user never sees a white flash.
applyTheme();

const root = document.getElementById("root");
if (!root) throw new Error("The page has no #root element.");
createRoot(root).render(
  <StrictMode>
    <App client={createBrowserClient()} />
  </StrictMode>,
);
