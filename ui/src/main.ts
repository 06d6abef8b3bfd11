// Entry point: chooses the backend (see lib/backend/index.ts), then mounts the window with it
// as context (components read it with useBackend()).
// A failure to start is shown in the window instead of leaving it blank (in English: with no
// backend, nobody can say which language Lookout speaks).
// The theme (the one picked in Settings, or the OS's) is applied before anything is mounted,
// so the window never flashes the other one.
// The locale guard must run before uPlot loads: keep it the first import.
import "./lib/localeGuard";
import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { backendContext, chooseBackend } from "./lib/backend";
import { t } from "./lib/i18n.svelte";
import { startTheme } from "./lib/theme.svelte";

startTheme();

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

performance.mark("lookout:script");
chooseBackend()
  .then((backend) => {
    performance.mark("lookout:backend");
    return mount(App, { target, context: backendContext(backend) });
  })
  .catch((e: unknown) => {
    const p = document.createElement("p");
    p.className = "fatal";
    p.setAttribute("role", "alert");
    p.textContent = t("ui-start-failed", { reason: e instanceof Error ? e.message : String(e) });
    target.replaceChildren(p);
    console.error(e);
  });
