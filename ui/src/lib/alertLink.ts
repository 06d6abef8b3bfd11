// Links to one entry of the alert log: `#/alerts/<id>`, what the tray opens when "Open" is
// pressed on an alert notification, and what the delivery log links to.

/** The hash that shows alert log entry `id`. */
export function alertHref(id: number): string {
  return `#/alerts/${id}`;
}

/** The entry a hash names (`#/alerts/42` → 42), or null for any other hash. */
export function alertIdFromHash(hash: string): number | null {
  const m = /^#?\/?alerts\/(\d{1,15})\/?$/.exec(hash);
  if (!m) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
