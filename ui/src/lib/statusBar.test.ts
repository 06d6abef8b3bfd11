// The status bar's words: channel health, the outbox, Lookout's own use, and what screen
// readers are told (only when a channel's health changes).
import { afterEach, describe, expect, test } from "vitest";
import type { ChannelStatus } from "./bindings/ChannelStatus";
import { setLanguage } from "./i18n.svelte";
import { announcement, channelErrorText, channelHealth, channelText, outboxText, selfText } from "./statusBar";

afterEach(() => setLanguage("en"));

const NOW = 1_700_000_000_000;

function channel(over: Partial<ChannelStatus> = {}): ChannelStatus {
  return { channel: "email", enabled: true, last_ok_at: NOW - 3_600_000, last_error_at: null, last_error: null, consecutive_failures: 0, ...over };
}

const FAILING = channel({ consecutive_failures: 3, last_error_at: NOW - 120_000, last_error: "Connection refused" });

describe("a channel's health", () => {
  test("off when disabled whatever its failures, failing after a failure, else ok", () => {
    expect(channelHealth(channel())).toBe("ok");
    expect(channelHealth(FAILING)).toBe("failing");
    expect(channelHealth({ ...FAILING, enabled: false })).toBe("off");
  });

  test("in words, with the failures counted", () => {
    expect(channelText(channel({ channel: "desktop" }))).toBe("Desktop: ok");
    expect(channelText(FAILING)).toBe("Email: failing (3×)");
    expect(channelText({ ...FAILING, enabled: false })).toBe("Email: off");
    setLanguage("ko");
    expect(channelText(FAILING)).toBe("이메일: 실패 (3회)");
  });

  test("a failing channel's last error, with when it happened", () => {
    expect(channelErrorText(FAILING, NOW)).toBe("Last error 2 min ago: Connection refused");
    expect(channelErrorText({ ...FAILING, last_error_at: null }, NOW)).toBe("Last error: Connection refused");
    expect(channelErrorText(channel({ last_error: "old news", last_error_at: NOW - 9e6 }), NOW), "a working channel has none").toBeNull();
    expect(channelErrorText({ ...FAILING, enabled: false }, NOW), "nor a channel turned off").toBeNull();
    setLanguage("ko");
    expect(channelErrorText(FAILING, NOW)).toBe("마지막 오류(2분 전): Connection refused");
  });
});

describe("the outbox and Lookout's own use", () => {
  test("the outbox counts what waits, and what was given up only when something was", () => {
    expect(outboxText(2, 0)).toBe("Outbox: 2 waiting");
    expect(outboxText(0, 1)).toBe("Outbox: 0 waiting, 1 given up");
    setLanguage("ko");
    expect(outboxText(2, 1)).toBe("보낼 편지함: 대기 2개, 포기 1개");
  });

  test("CPU as a percentage of one core and memory in binary units; unknown is a dash", () => {
    expect(selfText(0.3, 38 * 1024 * 1024)).toBe("Lookout: 0.3 % CPU · 38.0 MiB");
    expect(selfText(null, null)).toBe("Lookout: – CPU · –");
    setLanguage("ko");
    expect(selfText(120, 512 * 1024 * 1024)).toBe("Lookout: CPU 120% · 메모리 512 MiB");
  });
});

describe("what screen readers hear", () => {
  test("the failing channels; once some failed, that all work again; before that, nothing", () => {
    const desktop = channel({ channel: "desktop" });
    expect(announcement([desktop, channel()], false)).toBe("");
    expect(announcement([desktop, FAILING], false)).toBe("Delivery is failing: Email");
    expect(announcement([{ ...desktop, consecutive_failures: 1 }, FAILING], true)).toBe("Delivery is failing: Desktop and Email");
    expect(announcement([desktop, channel()], true)).toBe("Delivery works again on every channel.");
    expect(announcement([desktop, { ...FAILING, enabled: false }], true), "a channel turned off is not failing").toBe("Delivery works again on every channel.");
  });

  test("holds no figure that changes on every refresh", () => {
    const later = { ...FAILING, consecutive_failures: 9, last_error_at: NOW, last_error: "timed out" };
    expect(announcement([later], false)).toBe(announcement([FAILING], false));
  });
});
