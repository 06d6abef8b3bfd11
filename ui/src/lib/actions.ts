// Rule actions in words: a command as one line, how a run ended, when an action runs, and
// the sentence of a "gave up" event. The window only shows actions; the config file sets them.
import type { ActionConfig } from "./bindings/ActionConfig";
import type { ActionOutcome } from "./bindings/ActionOutcome";
import type { GaveUp } from "./bindings/GaveUp";
import { formatDurationText, formatList } from "./format";
import { eventLabel } from "./labels";
import { t } from "./i18n.svelte";

/** How long an action may run when its config says nothing (Lookout's default). */
export const DEFAULT_TIMEOUT = "60s";

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A program and its arguments as one line, quoted as a shell would need: `a 'b c' ''`. */
export function commandText(argv: readonly string[]): string {
  return argv.map((arg) => (PLAIN.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** Whether a run ended well: it exited with 0. */
export function outcomeOk(outcome: ActionOutcome): boolean {
  return outcome.kind === "exited" && outcome.code === 0;
}

/** How a run ended: "exited 0", "ended by signal 9", "killed at its timeout", "could not start: …". */
export function outcomeText(outcome: ActionOutcome): string {
  switch (outcome.kind) {
    case "exited":
      return t("ui-action-outcome-exited", { code: String(outcome.code) });
    case "signalled":
      return t("ui-action-outcome-signalled", { signal: String(outcome.signal) });
    case "timed_out":
      return t("ui-action-outcome-timed-out");
    case "not_started":
      return t("ui-action-outcome-not-started", { error: outcome.error });
  }
}

/** When and how an action of a rule runs, as short phrases: "runs on Firing", "time limit 1 min", ... */
export function actionScheduleParts(action: ActionConfig): string[] {
  const on = action.on.length > 0 ? action.on : (["firing"] as const);
  const parts = [
    t("ui-rule-action-on", { events: formatList(on.map(eventLabel)) }),
    t("ui-rule-action-timeout", { span: formatDurationText(action.timeout ?? DEFAULT_TIMEOUT) }),
  ];
  if (action.max_runs != null)
    parts.push(
      action.within
        ? t("ui-rule-action-max-runs-within", { runs: action.max_runs, within: formatDurationText(action.within) })
        : t("ui-rule-action-max-runs", { runs: action.max_runs }),
    );
  return parts;
}

/** The sentence of a "gave up" event: "Gave up running … after 3 tries in 15 min. …". */
export function gaveUpText(g: GaveUp): string {
  const command = commandText(g.command);
  return g.within
    ? t("action-gave-up-within", { command, runs: g.runs, within: formatDurationText(g.within) })
    : t("action-gave-up", { command, runs: g.runs });
}
