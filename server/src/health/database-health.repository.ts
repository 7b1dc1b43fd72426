import { QueryTypes, type Sequelize } from 'sequelize';
import type { DatabaseHealth, DatabaseHealthCheck } from '@therapy-field/sync';

const severity = { ok: 0, warning: 1, critical: 2 } as const;

/** `database_health()` (migration 1680), run as the platform (`tf_system` may execute it, nobody else). */
export class DatabaseHealthRepository {
  constructor(private readonly system: Sequelize) {}

  async check(): Promise<DatabaseHealth> {
    const rows = await this.system.query<{ metric_name: string; metric_value: number; unit: string; status: DatabaseHealthCheck['status'] }>(
      'SELECT metric_name, metric_value, unit, status FROM database_health()',
      { type: QueryTypes.SELECT },
    );
    const checks = rows.map((row) => ({ name: row.metric_name, value: Number(row.metric_value), unit: row.unit, status: row.status }));
    const status = checks.reduce<DatabaseHealth['status']>((worst, check) => (severity[check.status] > severity[worst] ? check.status : worst), 'ok');
    return { status, checks };
  }
}

/** A status as a number for /metrics: 0 ok, 1 warning, 2 critical. */
export function healthSeverity(status: DatabaseHealthCheck['status']): number {
  return severity[status];
}
