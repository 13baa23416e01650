import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The web app. `npm run build:web` writes dist/, which the Fastify server serves on its own origin.
 * `npm run dev` runs this dev server (hot reload) in front of the API: /api goes to the Gatehouse
 * server (GATEHOUSE_API, default http://localhost:3000), so the browser sees one origin.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    strictPort: true,
    proxy: { "/api": { target: process.env.GATEHOUSE_API ?? "http://localhost:3000", changeOrigin: false } },
  },
});
