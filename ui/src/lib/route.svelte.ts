// The view shown, from the URL hash (#/overview, #/alerts, #/deliveries, #/rules,
// #/notifications, #/settings), so the tray can open the window straight on the alert log. Each view's
// name is a message id.
export const VIEWS = [
  { id: "overview", labelId: "ui-nav-overview" },
  { id: "alerts", labelId: "ui-nav-alerts" },
  { id: "deliveries", labelId: "ui-nav-deliveries" },
  { id: "rules", labelId: "ui-nav-rules" },
  { id: "notifications", labelId: "ui-nav-notifications" },
  { id: "settings", labelId: "ui-nav-settings" },
] as const;

export type ViewId = (typeof VIEWS)[number]["id"];

/** The view a hash names; anything unknown is the overview. */
export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  return VIEWS.find((v) => v.id === id)?.id ?? "overview";
}

export class Route {
  view = $state<ViewId>("overview");

  start(): () => void {
    const sync = () => (this.view = viewFromHash(location.hash));
    sync();
    addEventListener("hashchange", sync);
    return () => removeEventListener("hashchange", sync);
  }
}
