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
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    // Each page is a lazy chunk (see router.tsx). Libraries that change rarely get chunks of
    // their own so an update of the dashboard's code does not re-download them; Recharts
    // loads only with the overview's charts.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 40 },
            { name: "tanstack", test: /node_modules[\\/]@tanstack[\\/]/, priority: 30 },
            // Only what the shell needs at once; dialogs and tabs of single pages stay with them.
            {
              name: "radix",
              test: /node_modules[\\/](radix-ui|@radix-ui|@floating-ui)[\\/]/,
              tags: ["$initial"],
              priority: 20,
            },
            { name: "vendor", test: /node_modules[\\/]/, tags: ["$initial"], priority: 10 },
            { name: "charts", test: /node_modules[\\/](recharts|d3-[a-z-]+|victory-vendor)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { "/api": process.env.ORATIO_API_URL ?? "http://127.0.0.1:3000" },
  },
});
