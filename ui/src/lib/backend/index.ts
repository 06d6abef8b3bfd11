// Picks the backend once at start-up: Tauri inside the app, the in-memory fake in a plain
// browser (dev server, tests). Each implementation is its own chunk, loaded only when chosen.
// No top-level await: WebKitGTK (the Tauri webview) can hang on a dynamic import made while
// a module's top-level await is pending, so main.ts calls startBackend() before mounting.
import type { Backend } from "./types";

export type { Backend, Unsubscribe } from "./types";

/** True inside the Tauri webview, which defines window.__TAURI_INTERNALS__ before any script. */
export function insideTauri(scope: object = globalThis): boolean {
  return "__TAURI_INTERNALS__" in scope;
}

export async function chooseBackend(scope: object = globalThis): Promise<Backend> {
  if (insideTauri(scope)) {
    const { TauriBackend } = await import("./tauri");
    return new TauriBackend();
  }
  const { FakeBackend } = await import("./fake");
  return new FakeBackend();
}

/**
 * The backend every component uses: a live binding, set by startBackend() before the window
 * is mounted (reading it earlier is a programming error).
 */
export let backend: Backend;

export async function startBackend(scope: object = globalThis): Promise<Backend> {
  backend = await chooseBackend(scope);
  return backend;
}
