// The push channels' secrets in the window, write-only: what Lookout says is stored (never a
// secret), what the user typed into each channel's secret field until Save stores it (after
// the config, so the channel exists in the saved config first), and how storing or removing
// one went. Typed secrets are kept by the channel's key in the draft (ConfigDraft.channelKeys).
import type { Backend } from "./backend";
import type { ApiError } from "./bindings/ApiError";
import type { ChannelConfig } from "./bindings/ChannelConfig";
import type { ChannelSecretState } from "./bindings/ChannelSecretState";
import { toApiError } from "./fieldErrors";

/** How storing or removing a channel's secret went. */
export type SecretOutcome =
  | { ok: true; id: "ui-channels-secret-saved" | "ui-channels-secret-removed" }
  | { ok: false; id: "ui-channels-secret-store-failed" | "ui-channels-secret-remove-failed"; error: ApiError };

/** A secret to store once the config is saved: the channel's name as saved, its key in the draft. */
export type PendingSecret = { key: number; name: string; secret: string };

/** The typed secrets of the draft's channels, by their name as they will be saved. */
export function pendingSecrets(
  channels: readonly ChannelConfig[],
  keys: readonly number[],
  typed: Readonly<Record<number, string>>,
): PendingSecret[] {
  const out: PendingSecret[] = [];
  channels.forEach((c, i) => {
    const secret = typed[keys[i]] ?? "";
    if (secret.trim() !== "") out.push({ key: keys[i], name: c.name, secret });
  });
  return out;
}

export class ChannelSecrets {
  /** What Lookout says of each saved channel's secret; null until it answered. */
  states = $state.raw<ChannelSecretState[] | null>(null);
  /** Why it could not say. */
  loadError = $state.raw<ApiError | null>(null);
  /** What is typed in each channel's secret field, by channel key. */
  typed = $state<Record<number, string>>({});
  /** The last outcome of storing or removing, by channel key. */
  outcomes = $state.raw<Record<number, SecretOutcome>>({});

  constructor(private readonly backend: Backend) {}

  async refresh(): Promise<void> {
    try {
      this.states = await this.backend.getChannelSecrets();
      this.loadError = null;
    } catch (e) {
      this.loadError = toApiError(e);
    }
  }

  /** What to store after the next save (read before saving: the names are those sent). */
  pending(channels: readonly ChannelConfig[], keys: readonly number[]): PendingSecret[] {
    return pendingSecrets(channels, keys, this.typed);
  }

  private outcome(key: number, outcome: SecretOutcome): void {
    this.outcomes = { ...this.outcomes, [key]: outcome };
  }

  /**
   * After a save: stores each typed secret, empties its field either way, and asks again
   * what is stored (a channel the save sent elsewhere lost its secret).
   */
  async store(pending: readonly PendingSecret[]): Promise<void> {
    for (const p of pending) {
      try {
        await this.backend.setChannelSecret(p.name, p.secret);
        this.outcome(p.key, { ok: true, id: "ui-channels-secret-saved" });
      } catch (e) {
        this.outcome(p.key, { ok: false, id: "ui-channels-secret-store-failed", error: toApiError(e) });
      } finally {
        delete this.typed[p.key];
      }
    }
    await this.refresh();
  }

  async clear(key: number, name: string): Promise<void> {
    try {
      await this.backend.clearChannelSecret(name);
      this.outcome(key, { ok: true, id: "ui-channels-secret-removed" });
    } catch (e) {
      this.outcome(key, { ok: false, id: "ui-channels-secret-remove-failed", error: toApiError(e) });
    }
    await this.refresh();
  }
}
