// Picks the backend once at start-up: Tauri inside the app, HTTP in a page the web dashboard
// served (it marks the page), the recorded fake in a plain browser (dev server, tests). Each implementation is its own chunk, loaded only when chosen.
// No top-level await: WebKitGTK (the Tauri webview) can hang on a dynamic import made while
// a module's top-level await is pending, so main.ts calls chooseBackend() before mounting.
//
// How components reach it, the one way: main.ts mounts <App> with backendContext(chosen) and
// every component (App included) reads it with useBackend(). The classes App builds
// (LiveData, ConfigDraft) are handed the backend App read. No module holds it in a variable.
import { getContext } from "svelte";
import type { Backend } from "./types";

export type { Backend, Unsubscribe } from "./types";

/** True inside the Tauri webview, which defines window.__TAURI_INTERNALS__ before any script. */
export function insideTauri(scope: object = globalThis): boolean {
  return "__TAURI_INTERNALS__" in scope;
}

/** True in a page `lookout run --dashboard` served: it adds <meta name="lookout-backend" content="http">. */
export function servedByDashboard(doc: Pick<Document, "querySelector"> | undefined = globalThis.document): boolean {
  return doc?.querySelector('meta[name="lookout-backend"]')?.getAttribute("content") === "http";
}

export async function chooseBackend(scope: object = globalThis): Promise<Backend> {
  if (insideTauri(scope)) {
    const { tauriBackend } = await import("./tauri");
    return tauriBackend();
  }
  if (servedByDashboard()) {
    const { httpBackend } = await import("./http");
    return httpBackend();
  }
  const { FakeBackend } = await import("./fake");
  const fake = new FakeBackend();
  // The browser tests read the demo backend's own state (the saved config) through this.
  Object.assign(scope, { lookoutFake: fake });
  return fake;
}

const KEY = Symbol("lookout backend");

/** The context to mount the window with: `mount(App, { target, context: backendContext(b) })`. */
export function backendContext(backend: Backend): Map<symbol, Backend> {
  return new Map([[KEY, backend]]);
}

/** The backend the window was mounted with; call while a component initialises. */
export function useBackend(): Backend {
  const backend = getContext<Backend | undefined>(KEY);
  if (!backend) throw new Error("useBackend(): the window was mounted without backendContext()");
  return backend;
}
