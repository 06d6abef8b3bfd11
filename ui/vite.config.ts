// Vite build of the Lookout window: loaded by the Tauri app (WebKitGTK, strict CSP) and by
// plain browsers. No inline script anywhere: the module preload polyfill is off.
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The policy Tauri enforces, applied to `vite preview` too so the browser tests prove that
// the built window runs under it (no inline scripts or styles, no eval, nothing remote).
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export default defineConfig({
  base: "./",
  plugins: [svelte()],
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    modulePreload: { polyfill: false },
    sourcemap: false,
    // Keep every asset a file: a data: URL script would need a looser CSP.
    assetsInlineLimit: 0,
  },
  // The message catalogs live in ../locales, shared with Lookout's Rust side.
  server: { host: "127.0.0.1", port: 5173, strictPort: true, fs: { allow: [".", "../locales"] } },
  preview: {
    host: "127.0.0.1",
    strictPort: true,
    headers: { "Content-Security-Policy": STRICT_CSP },
  },
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
  },
});
