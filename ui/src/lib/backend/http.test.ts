// The dashboard's backend: how the page is recognised, and how answers and errors of
// /api/<command> come back (fetch stubbed; the real server is met in the Rust and browser tests).
import { afterEach, describe, expect, it, vi } from "vitest";
import { servedByDashboard } from "./index";
import { call } from "./http";

/** A page holding at most one <meta name="lookout-backend"> with this content. */
function page(content: string | null): Pick<Document, "querySelector"> {
  return {
    querySelector: ((selector: string) =>
      selector === 'meta[name="lookout-backend"]' && content !== null
        ? { getAttribute: (name: string) => (name === "content" ? content : null) }
        : null) as Document["querySelector"],
  };
}

describe("servedByDashboard", () => {
  it("is true only with the dashboard's meta tag", () => {
    expect(servedByDashboard(page("http"))).toBe(true);
    expect(servedByDashboard(page("fake"))).toBe(false);
    expect(servedByDashboard(page(null))).toBe(false);
    expect(servedByDashboard(undefined)).toBe(false);
  });
});

describe("call", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("posts the arguments as JSON and returns the answer", async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify(["a"]), { status: 200 }));
    vi.stubGlobal("fetch", fetch);
    await expect(call("get_alerts", { since: null, limit: 5 })).resolves.toEqual(["a"]);
    expect(fetch).toHaveBeenCalledWith("/api/get_alerts", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"since":null,"limit":5}',
      credentials: "same-origin",
    });
  });

  it("turns an error answer into its ApiError, and anything else into an internal one", async () => {
    const refusal = { code: "forbidden", message: "secrets cannot be changed over HTTP" };
    vi.stubGlobal("fetch", async () => new Response(JSON.stringify(refusal), { status: 403 }));
    await expect(call("clear_smtp_password")).rejects.toEqual(refusal);
    vi.stubGlobal("fetch", async () => new Response("<html>", { status: 502, statusText: "Bad Gateway" }));
    await expect(call("get_status")).rejects.toMatchObject({ code: "internal", message: "HTTP 502 Bad Gateway" });
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(call("get_status")).rejects.toMatchObject({ code: "internal", message: "Failed to fetch" });
  });
});
