import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PresenceStore } from '@therapy-field/server';
import { waitFor } from '../../../support/wait.js';

/**
 * The presence contract every store keeps. `open` gives a fresh store with the given TTL; two
 * stores opened by one suite share state as two nodes would (a memory store cannot: `shared`).
 */
export function presenceStoreContract(name: string, open: (ttlMs: number) => Promise<PresenceStore>, options: { shared: boolean }) {
  describe(`presence store contract: ${name}`, () => {
    const stores: PresenceStore[] = [];
    let store: PresenceStore;
    const openStore = async (ttlMs = 60_000) => {
      const opened = await open(ttlMs);
      stores.push(opened);
      return opened;
    };
    beforeEach(async () => {
      store = await openStore();
    });
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((opened) => opened.close()));
    });

    it('is offline with no devices, online with one, and reports only real changes', async () => {
      const user = randomUUID();
      expect(await store.states([user])).toEqual([{ userId: user, status: 'offline', availableNow: false }]);
      expect(await store.setDevice(user, 'phone', 'online')).toEqual({ userId: user, status: 'online', availableNow: false });
      expect(await store.setDevice(user, 'laptop', 'online')).toBeUndefined();
      expect(await store.removeDevice(user, 'phone')).toBeUndefined();
      expect(await store.removeDevice(user, 'laptop')).toMatchObject({ status: 'offline' });
    });

    it('is online while any device is active, away when all are idle', async () => {
      const user = randomUUID();
      await store.setDevice(user, 'phone', 'online');
      await store.setDevice(user, 'laptop', 'away');
      expect((await store.states([user]))[0]!.status).toBe('online');
      expect(await store.setDevice(user, 'phone', 'away')).toMatchObject({ status: 'away' });
      expect(await store.setDevice(user, 'laptop', 'online')).toMatchObject({ status: 'online' });
    });

    it('shows "available now" only while the therapist is not offline', async () => {
      const therapist = randomUUID();
      expect(await store.setAvailableNow(therapist, true)).toMatchObject({ status: 'offline', availableNow: false });
      await store.setDevice(therapist, 'laptop', 'online');
      expect(await store.states([therapist])).toEqual([{ userId: therapist, status: 'online', availableNow: true }]);
      expect(await store.setAvailableNow(therapist, false)).toMatchObject({ availableNow: false });
    });

    it('lets devices that stop beating expire, and keeps beating ones', async () => {
      store = await openStore(300);
      const [beating, silent] = [randomUUID(), randomUUID()];
      await store.setDevice(beating, 'phone', 'online');
      await store.setDevice(silent, 'phone', 'online');
      const expired: string[] = [];
      await waitFor(async () => {
        await store.heartbeat([{ userId: beating, deviceId: 'phone', status: 'online' }]);
        expired.push(...(await store.sweep()).map((state) => `${state.userId}:${state.status}`));
        return expired.includes(`${silent}:offline`);
      }, 5_000, 'the silent device to expire');
      expect(expired).not.toContain(`${beating}:offline`);
      expect((await store.states([beating, silent])).map((state) => state.status)).toEqual(['online', 'offline']);
    });

    it('adds a device only below the limit, takes a known one back, and stops counting expired ones', async () => {
      store = await openStore(300);
      const user = randomUUID();
      expect(await store.addDevice(user, 'phone', 2)).toEqual({ admitted: true, changed: { userId: user, status: 'online', availableNow: false } });
      expect(await store.addDevice(user, 'laptop', 2)).toEqual({ admitted: true, changed: undefined });
      expect(await store.addDevice(user, 'tablet', 2)).toEqual({ admitted: false });
      expect(await store.addDevice(user, 'laptop', 2)).toMatchObject({ admitted: true });
      // Nobody beats phone and laptop: once expired, they leave room.
      await waitFor(async () => (await store.addDevice(user, 'tablet', 2)).admitted, 5_000, 'room for the tablet');
    });

    // Only a store shared between nodes has a second node to sum up and to sweep for.
    if (options.shared) {
      it('counts a user\'s devices on every node against the limit', async () => {
        const [nodeA, nodeB] = [await openStore(), await openStore()];
        const user = randomUUID();
        expect(await nodeA.addDevice(user, 'a1', 2)).toMatchObject({ admitted: true });
        expect(await nodeB.addDevice(user, 'b1', 2)).toMatchObject({ admitted: true });
        expect(await nodeB.addDevice(user, 'b2', 2)).toEqual({ admitted: false });
        await nodeA.removeDevice(user, 'a1');
        expect(await nodeB.addDevice(user, 'b2', 2)).toMatchObject({ admitted: true });
      });

      it('adds up devices on two nodes, and one node sweeps a dead node\'s devices once', async () => {
        const [nodeA, nodeB] = [await openStore(300), await openStore(300)];
        const user = randomUUID();
        await nodeA.setDevice(user, 'a1', 'online');
        await nodeB.setDevice(user, 'b1', 'away');
        expect((await nodeB.states([user]))[0]!.status).toBe('online');
        expect(await nodeA.removeDevice(user, 'a1')).toMatchObject({ status: 'away' });
        // node B dies: nobody beats b1; both survivors sweep, one of them reports the change.
        const reported: string[] = [];
        await waitFor(async () => {
          const [fromA, fromC] = await Promise.all([nodeA.sweep(), store.sweep()]);
          reported.push(...[...fromA, ...fromC].filter((state) => state.userId === user).map((state) => state.status));
          return (await nodeA.states([user]))[0]!.status === 'offline';
        }, 5_000, 'the dead node\'s device to expire');
        expect(reported.filter((status) => status === 'offline')).toHaveLength(1);
      });
    }
  });
}
