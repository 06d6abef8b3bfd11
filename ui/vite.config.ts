// Vite build of the Lookout window: loaded by the Tauri app (WebKitGTK, strict CSP) and by
// plain browsers. No inline script anywhere: the module preload polyfill is off.
import { defineConfig, type Plugin } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

/** Messages of the catalogs only the command line, the tray menu or the HTTP server speak. */
const NOT_THE_WINDOWS = /^(cli|check|export-rules|http|tray|replay|series|parse|notify)-/;

/**
 * The window carries the shared catalogs (../locales/*.ftl) without what it never shows:
 * comments, and the messages of the other front ends. Each kept message is kept whole.
 */
export function windowCatalog(source: string): string {
  const kept: string[] = [];
  let keep = true;
  for (const line of source.split("\n")) {
    if (line.startsWith("#")) continue;
    // A message or a term (`-brand = …`) starts at column 0; its other lines are indented.
    const id = /^(-?[a-zA-Z][a-zA-Z0-9_-]*)\s*=/.exec(line)?.[1];
    if (id) keep = !NOT_THE_WINDOWS.test(id);
    if (keep) kept.push(line);
  }
  return kept.join("\n") + "\n";
}

function catalogsForTheWindow(): Plugin {
  return {
    name: "lookout-window-catalogs",
    enforce: "pre",
    async load(id) {
      const [path, query] = id.split("?");
      if (query !== "raw" || !/\/locales\/[a-z]+\.ftl$/.test(path)) return null;
      const { readFile } = await import("node:fs/promises");
      const text = windowCatalog(await readFile(path, "utf8"));
      return `export default ${JSON.stringify(text)};`;
    },
  };
}

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
  plugins: [catalogsForTheWindow(), svelte()],
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
