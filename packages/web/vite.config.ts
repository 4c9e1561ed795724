import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The dashboard talks only to the Oratio server it is served from; in development the
// API calls are proxied to a locally running server (ORATIO_API_URL, default port 3000).
export default defineConfig({
  plugins: [react(), tailwindcss()],
  // The server swaps this placeholder for a fresh nonce per page load (see the server's
  // dashboard.ts), so styles injected at run time pass the Content-Security-Policy.
  html: { cspNonce: "__ORATIO_CSP_NONCE__" },
  // One bundle of ~500 kB (160 kB gzipped) loads once and is cached for a year.
  build: { outDir: "dist", emptyOutDir: true, assetsDir: "assets", chunkSizeWarningLimit: 700 },
  server: {
    proxy: { "/api": process.env.ORATIO_API_URL ?? "http://127.0.0.1:3000" },
  },
});
