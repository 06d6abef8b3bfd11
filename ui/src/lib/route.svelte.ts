// The view shown, from the URL hash (#/overview, #/alerts, #/rules, #/notifications), so the
// tray can open the window straight on the alert log.
export const VIEWS = [
  { id: "overview", label: "Overview" },
  { id: "alerts", label: "Alerts" },
  { id: "rules", label: "Rules" },
  { id: "notifications", label: "Notifications" },
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
