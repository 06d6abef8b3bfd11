// The built window in WebKitGTK, the engine of the Tauri webview: MiniBrowser under a private
// Xvfb, driven by WebKitWebDriver over plain W3C WebDriver. It runs with LANG=C.UTF-8, where
// WebKit reports navigator.language "C" (which once left the window blank).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { freePort, SHOTS, startPreview } from "./harness";

const DRIVER = "/usr/bin/WebKitWebDriver";
const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const T = 60_000;

const children: ChildProcess[] = [];
let preview: Awaited<ReturnType<typeof startPreview>> | null = null;
let driverUrl = "";
let session = "";

/** Starts Xvfb on a free display and resolves with its number (read from -displayfd). */
function startXvfb(): Promise<string> {
  return new Promise((resolve, reject) => {
    const x = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp"], {
      stdio: ["ignore", "ignore", "ignore", "pipe"],
    });
    children.push(x);
    x.once("error", reject);
    x.once("exit", (code) => reject(new Error(`Xvfb exited early with ${code}`)));
    let out = "";
    x.stdio[3]?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.trim());
    });
  });
}

/** SIGTERM, then SIGKILL if the process is still there after 3 s; resolves once it is gone. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function wd(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${driverUrl}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { value: unknown };
  if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
}

const run = (script: string) => wd("POST", `/session/${session}/execute/sync`, { script, args: [] });

async function until<T>(what: string, probe: () => Promise<T | null>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function shot(name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const png = (await wd("GET", `/session/${session}/screenshot`)) as string;
  writeFileSync(`${SHOTS}/${name}.png`, Buffer.from(png, "base64"));
}

beforeAll(async () => {
  for (const bin of [DRIVER, MINIBROWSER])
    if (!existsSync(bin)) throw new Error(`${bin} is missing; install Debian's webkit2gtk-driver and libwebkit2gtk-4.1-0 (scripts/setup.sh does)`);
  preview = await startPreview();
  const display = await startXvfb();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: `:${display}`, NO_AT_BRIDGE: "1", LANG: "C.UTF-8", LC_ALL: "" };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  children.push(spawn(DRIVER, [`--port=${port}`], { env, stdio: "ignore" }));
  driverUrl = `http://127.0.0.1:${port}`;
  await until("WebKitWebDriver", async () => ((await wd("GET", "/status")) as { ready?: boolean }).ready || null);
  const created = (await wd("POST", "/session", {
    capabilities: {
      alwaysMatch: {
        browserName: "MiniBrowser",
        "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
      },
    },
  })) as { sessionId: string };
  session = created.sessionId;
}, T);

afterAll(async () => {
  if (session) await wd("DELETE", `/session/${session}`).catch(() => undefined);
  for (const child of children.reverse()) await stop(child);
  await preview?.server.close();
});

test("WebKitGTK shows live values, and a field error next to its field", async () => {
  await wd("POST", `/session/${session}/url`, { url: `${preview!.url}#/overview` });
  const cpu = () => run(`return document.querySelector('[data-testid="live-cpu"]')?.textContent ?? null`) as Promise<string | null>;
  const first = await until("the live CPU value", cpu);
  expect(first, "CPU is shown as a percentage").toMatch(/^\d+(\.\d)? %$/);
  await until("the CPU value to change", async () => ((await cpu()) !== first ? true : null));
  expect(await run("return document.querySelectorAll('.spark canvas').length"), "charts drawn").toBeGreaterThan(2);
  await shot("webkit-overview");

  await wd("POST", `/session/${session}/url`, { url: `${preview!.url}#/rules` });
  const input = (await until("the window field", async () =>
    (await wd("POST", `/session/${session}/element`, { using: "css selector", value: '[data-testid="rule-window"]' })) as Record<string, string>,
  ));
  const id = Object.values(input)[0];
  await wd("POST", `/session/${session}/element/${id}/clear`, {});
  await wd("POST", `/session/${session}/element/${id}/value`, { text: "soon" }); // the recorded draft rule0_window_soon
  await run(`document.querySelector('[data-testid="save"]').click()`);
  const err = await until("the field error", () =>
    run(`return document.querySelector('[data-testid="error-rules-0-window"]')?.textContent ?? null`) as Promise<string | null>,
  );
  expect(err, "the message says what is accepted").toContain("'soon' is not a duration");
  expect(await run(`return document.querySelector('[data-testid="rule-window"]').value`), "typed value kept").toBe("soon");
  await shot("webkit-rules-error");
}, T);

test("WebKitGTK opens the add-a-watch dialog and shows the watch it saves", async () => {
  await wd("POST", `/session/${session}/url`, { url: `${preview!.url}#/overview` });
  await until("the add-a-watch button", () => run(`return document.querySelector('[data-testid="add-watch"]') ? true : null`) as Promise<true | null>);
  await run(`document.querySelector('[data-testid="add-watch"]').click()`);
  const modal = await until("the dialog, modal", () =>
    run(`const d = document.querySelector('[data-testid="add-watch-dialog"]'); return d && d.open ? d.matches(':modal') : null`) as Promise<boolean | null>,
  );
  expect(modal, "shown with showModal").toBe(true);
  await until("the running processes", () => run(`return document.querySelector('[data-testid="process-group"]') ? true : null`) as Promise<true | null>);
  await run(`document.querySelector('[data-testid="process-group"]').click()`);
  expect(await run(`return document.querySelector('[data-testid="watch-name"]').value`), "the busiest program is proposed").toBe("firefox-esr");
  await shot("webkit-add-watch");
  await run(`document.querySelector('[data-testid="watch-save"]').click()`);
  const running = () =>
    run(`return document.querySelector('[data-testid="watch-card"][data-watch="firefox-esr"] [data-testid="watch-running"]')?.textContent ?? null`) as Promise<string | null>;
  await until("the watch's card with its figures", async () => ((await running()) === "3 running" ? true : null));
  expect(await run(`return document.querySelector('[data-testid="add-watch-dialog"]') === null`), "the dialog closed").toBe(true);
}, T);
