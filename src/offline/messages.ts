/*
 * The one message the page sends its service worker. Shared by both sides so that neither can
 * drift from the other.
 */

/** Asks a waiting service worker to take over now instead of when every tab has closed. */
export const skipWaitingMessage = { type: 'distsim.skip-waiting' } as const;

/** True when a message event's data is {@link skipWaitingMessage}. */
export function isSkipWaitingMessage(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === skipWaitingMessage.type
  );
}
