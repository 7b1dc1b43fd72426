import { MemoryPresenceStore } from '@therapy-field/server';
import { presenceStoreContract } from './presence-store.case.js';

presenceStoreContract('memory', async (ttlMs) => new MemoryPresenceStore(ttlMs), { shared: false });
