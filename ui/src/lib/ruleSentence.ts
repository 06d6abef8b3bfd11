// The sentence the rule editor reads a rule back with, in the window's language: "Fires when
// every sample of CPU over 1 hour is above 80 %, held for 5 min. It clears below 70 %. It
// reminds every 1 h, at most 3 times. It fires only while battery.BAT0.charging < 1."
import type { Op } from "./bindings/Op";
import type { RuleConfig } from "./bindings/RuleConfig";
import { countToWire } from "./draft.svelte";
import { formatDurationText, formatLevel, parseDuration } from "./format";
import { t } from "./i18n.svelte";
import { metricLabel, opLabel } from "./labels";

/** The other side of `op`: where a reading must be for the rule to clear. */
const CLEARS: Record<Op, Op> = { ">": "<", ">=": "<", "<": ">", "<=": ">" };

/** A threshold as the rule states it: 80 %, not 80.0 %. */
function level(metric: string, v: number): string {
  return formatLevel(metric, v).replace(/(\d)\.0(?!\d)/, "$1");
}

/** `rule` in words; fields not filled in yet read as "…". */
export function ruleSentence(rule: RuleConfig): string {
  const args = {
    aggregate: rule.aggregate,
    metric: rule.metric ? metricLabel(rule.metric) : "…",
    window: rule.window ? formatDurationText(rule.window) : "…",
    op: opLabel(rule.op),
    threshold: Number.isFinite(rule.threshold) ? level(rule.metric, rule.threshold) : "…",
  };
  const fires = rule.for ? t("ui-rule-summary-held", { ...args, held: formatDurationText(rule.for) }) : t("ui-rule-summary", args);
  const clear = rule.clear_threshold;
  const clears =
    clear === null || clear === undefined || !Number.isFinite(clear) || clear === rule.threshold
      ? fires
      : t("ui-rule-summary-clears", { fires, op: opLabel(CLEARS[rule.op]), threshold: level(rule.metric, clear) });
  return withCondition(withReminders(clears, rule), rule);
}

/** `sentence` and, last, the condition the rule fires only while (its only_when, as written). */
function withCondition(sentence: string, rule: RuleConfig): string {
  const condition = rule.only_when?.trim().replace(/\s+/g, " ");
  return condition ? t("ui-rule-summary-only-when", { fires: sentence, condition }) : sentence;
}

/** `sentence` and how the rule reminds while firing, if it does ("0s" or empty: it does not). */
function withReminders(sentence: string, rule: RuleConfig): string {
  const every = rule.repeat_every?.trim();
  if (!every || parseDuration(every) === 0) return sentence;
  const args = { fires: sentence, every: formatDurationText(every) };
  const max = countToWire(rule.repeat_max);
  return typeof max === "number" ? t("ui-rule-summary-reminds-max", { ...args, max }) : t("ui-rule-summary-reminds", args);
}
