// The Backend over the web dashboard (`lookout run --listen ADDR --dashboard`): the same
// commands as the tray's, POSTed as JSON to /api/<command> on the server that sent the page,
// and live ticks as server-sent events. The login cookie goes along; nothing here holds it.
import type { TickView } from "../bindings/TickView";
import { toApiError } from "../fieldErrors";
import { commandMethods, type CallableCommands } from "./commands";
import type { Backend, Unsubscribe } from "./types";

/** The only place that calls fetch: typed by command, errors become ApiError. */
export async function call<C extends keyof CallableCommands>(
  command: C,
  ...args: CallableCommands[C][0] extends undefined ? [] : [CallableCommands[C][0]]
): Promise<CallableCommands[C][1]> {
  let response: Response;
  try {
    response = await fetch(`/api/${command}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(args[0] ?? null),
      credentials: "same-origin",
    });
  } catch (e) {
    throw toApiError(e);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw toApiError(body ?? `HTTP ${response.status} ${response.statusText}`);
  }
  return body as CallableCommands[C][1];
}

/** The Backend in a page the web dashboard served. */
export function httpBackend(): Backend {
  return {
    kind: "http",
    ...commandMethods(call),
    /** The tray logs the window's first chart; a browser's is its own business. */
    reportFirstChart: () => {},
    async streamTicks(onTick: (tick: TickView) => void): Promise<Unsubscribe> {
      const source = new EventSource("/api/ticks");
      source.addEventListener("tick", (event) => {
        onTick(JSON.parse((event as MessageEvent<string>).data) as TickView);
      });
      // EventSource reconnects on its own after a dropped connection.
      return () => source.close();
    },
  };
}
