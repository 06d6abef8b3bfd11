// The Backend over Tauri commands (snake_case names; Tauri maps camelCase argument keys to
// the Rust parameters). Rejections are normalised to ApiError.
import { Channel, invoke } from "@tauri-apps/api/core";
import { emit } from "@tauri-apps/api/event";
import type { TickView } from "../bindings/TickView";
import { toApiError } from "../fieldErrors";
import { commandMethods, type Call, type Commands } from "./commands";
import type { Backend, Unsubscribe } from "./types";

/** The only place that calls invoke: typed by command, errors become ApiError. */
async function call<C extends keyof Commands>(
  command: C,
  ...args: Commands[C][0] extends undefined ? [] : [Commands[C][0]]
): Promise<Commands[C][1]> {
  try {
    return await invoke<Commands[C][1]>(command, args[0] as Record<string, unknown> | undefined);
  } catch (e) {
    throw toApiError(e);
  }
}

/** The Backend inside the tray app. */
export function tauriBackend(): Backend {
  return {
    kind: "tauri",
    ...commandMethods(call as Call),
    reportFirstChart: () => void emit("lookout://first-chart", Math.round(performance.now())).catch(() => {}),
    async streamTicks(onTick: (tick: TickView) => void): Promise<Unsubscribe> {
      let listening = true;
      const channel = new Channel<TickView>();
      channel.onmessage = (tick) => {
        if (listening) onTick(tick);
      };
      await call("stream_ticks", { onTick: channel });
      // The app stops pushing when the window closes; until then, drop what arrives.
      return () => {
        listening = false;
      };
    },
  };
}
