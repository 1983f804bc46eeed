import type { AutopackApi } from "./client.js";

/**
 * The orchestrator mirror when `AUTOPACK_API_URL` is unset: every call succeeds at once, with no I/O,
 * so the rest of the app needs no special case. (Saying once that mirroring is off is the caller's job.)
 */
export function createDisabledAutopackApi(): AutopackApi {
  return {
    enabled: false,
    send: async () => ({ ok: true, status: 0, response: null }),
    runSummary: async () => null,
    health: async () => false,
  };
}
