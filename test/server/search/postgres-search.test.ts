import { runAsSystem } from '@therapy-field/server';
import { startTestPlatform } from '../../support/platform.js';
import { therapistSearchContract } from './therapist-search.contract.js';

// The default backend: the contract on PostgreSQL, with the next-free-slot refresher run as its job would.
therapistSearchContract('PostgreSQL', async () => {
  const node = await startTestPlatform();
  return {
    node,
    settle: async () => {
      while ((await runAsSystem(() => node.platform.search.nextSlots.refreshStale())) > 0);
    },
  };
});
