import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import { createHistoriesReader, type SessionNotesService } from '../clinical/index.js';
import type { ConsentService } from '../consent/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AppEnv } from '../http/index.js';
import { BreakGlassRepository, MyRecordRepository } from './my-record.repository.js';
import { myRecordRoutes } from './my-record.routes.js';
import { MyRecordService } from './my-record.service.js';

export interface MyRecordModuleDeps {
  sequelize: Sequelize;
  /** The platform's connection (no row-level security), for break-glass reads only. */
  system: Sequelize;
  notes: SessionNotesService;
  consents: ConsentService;
  cipher: FieldCipher;
  audit: AuditLog;
  client: MiddlewareHandler<AppEnv>;
  superAdmin: MiddlewareHandler<AppEnv>;
}

/** The client's own record and its read log; the platform admin's audited break-glass read. */
export function createMyRecordModule(deps: MyRecordModuleDeps) {
  const { sequelize, system, cipher, audit } = deps;
  const service = new MyRecordService({
    repository: new MyRecordRepository(sequelize),
    breakGlass: new BreakGlassRepository(system),
    ownHistories: createHistoriesReader(sequelize, cipher, audit),
    systemHistories: createHistoriesReader(system, cipher, audit),
    notes: deps.notes,
    consents: deps.consents,
    cipher,
    audit,
  });
  return { service, routes: myRecordRoutes({ service, client: deps.client, superAdmin: deps.superAdmin }) };
}
