import { randomBytes } from 'node:crypto';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createClient, type CollectionName, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { TEST_PASSWORD } from '../support/accounts.js';

export interface DeviceOptions {
  pushBatchSize?: number;
  /** false: HTTP only, no socket. */
  realtime?: boolean;
}

/**
 * Devices of one test file, each with its own in-memory RxDB (validated by ajv against the
 * derived schemas). RxDB allows ~13 open collections per process, so each device opens only the
 * collections its test needs and every device is closed after each test.
 */
export class Devices {
  private readonly open: TherapyFieldClient<any>[] = [];

  async create<Names extends CollectionName>(url: string, collections: Names[], options: DeviceOptions = {}): Promise<TherapyFieldClient<Names>> {
    const client = await createClient({
      url,
      storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
      databaseName: `device${randomBytes(5).toString('hex')}`,
      collections,
      retryTimeMs: 100,
      requestTimeoutMs: 2_000,
      ...options,
    });
    this.open.push(client);
    return client;
  }

  /** A device with the user logged in. */
  async signedIn<Names extends CollectionName>(url: string, email: string, collections: Names[], options: DeviceOptions = {}) {
    const device = await this.create(url, collections, options);
    await device.auth.login(email, TEST_PASSWORD);
    return device;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((client) => client.close()));
  }
}
