import { randomBytes } from 'node:crypto';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createClient, type CollectionName, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { TEST_PASSWORD } from '../support/accounts.js';

export interface DeviceOptions {
  pushBatchSize?: number;
  /** false: HTTP only, no socket. */
  realtime?: boolean;
  /** The fetch the SDK uses over HTTP (a test may watch or cut requests). */
  fetch?: typeof fetch;
  requestTimeoutMs?: number;
  /** @default 100 */
  retryTimeMs?: number;
  pullBatchSize?: number;
  /** The local database's name: a device opened again with the same name is the same app restarted. */
  databaseName?: string;
}

/** A fresh local database name (in-memory storage keeps a closed database's data for the process). */
export const newDatabaseName = () => `device${randomBytes(5).toString('hex')}`;

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
      collections,
      retryTimeMs: 100,
      requestTimeoutMs: 2_000,
      ...options,
      databaseName: options.databaseName ?? newDatabaseName(),
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
