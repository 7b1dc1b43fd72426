import type { BrowserContext, WebSocketRoute } from 'playwright-core';

/** Takes a browser context off the network and back, WebSockets included. */
export interface NetworkSwitch {
  setOffline(offline: boolean): Promise<void>;
}

/**
 * `context.setOffline` fails HTTP but leaves WebSockets alone (playwright#4910): an open socket
 * keeps carrying pushes, and one opened right after an offline reload may get through. Every
 * WebSocket of the context therefore goes through a route that refuses new sockets while
 * offline and closes the open ones when the network goes away, as a lost network would.
 */
export async function networkSwitch(context: BrowserContext): Promise<NetworkSwitch> {
  let offline = false;
  const open = new Set<WebSocketRoute>();
  await context.routeWebSocket(/.*/, (page) => {
    if (offline) return page.close({ code: 4000, reason: 'offline' });
    open.add(page).add(page.connectToServer());
  });
  return {
    async setOffline(value) {
      offline = value;
      await context.setOffline(value);
      if (!value) return;
      const closing = [...open].map((side) => side.close({ code: 4000, reason: 'offline' }).catch(() => undefined));
      open.clear();
      await Promise.all(closing);
    },
  };
}
