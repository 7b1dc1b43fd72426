import { QueryTypes, type Sequelize } from 'sequelize';
import { BUSINESS_MINIMUM_GROUP_SIZE, type BusinessUsage, type MyBusinesses } from '@therapy-field/sync';

interface EmployeeTotalsRow {
  invited: number;
  active: number;
  inactive: number;
  departed: number;
  purchased: number | null;
  used: number;
  employees_with_sessions: number;
}

interface MonthRow {
  month: string;
  booked: number;
  completed: number;
  cancelled: number;
  no_show: number;
}

/** Company accounts and their usage, only ever as totals over employees. */
export class BusinessRepository {
  constructor(private readonly sequelize: Sequelize) {}

  private select<T extends object>(sql: string, replacements: Record<string, unknown>): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  }

  /** The company's name, if `userId` administers it (any company when `anyCompany`). */
  async companyNameFor(businessId: string, userId: string, anyCompany: boolean): Promise<string | null> {
    const [row] = await this.select<{ company_name: string }>(
      `SELECT ba.company_name FROM business_accounts ba
        WHERE ba.id = :businessId
          AND (:anyCompany OR EXISTS (SELECT 1 FROM business_admins adm WHERE adm.business_id = ba.id AND adm.user_id = :userId))`,
      { businessId, userId, anyCompany },
    );
    return row?.company_name ?? null;
  }

  /** Companies `userId` administers, by name. */
  administeredBy(userId: string): Promise<MyBusinesses['businesses']> {
    return this.select<MyBusinesses['businesses'][number]>(
      `SELECT ba.id, ba.company_name AS "companyName", adm.role FROM business_admins adm JOIN business_accounts ba ON ba.id = adm.business_id
        WHERE adm.user_id = :userId ORDER BY ba.company_name`,
      { userId },
    );
  }

  /** Companies that pay for `clientId`'s therapy. */
  async employersOf(clientId: string): Promise<Array<{ id: string; companyName: string }>> {
    return this.select<{ id: string; companyName: string }>(
      `SELECT ba.id, ba.company_name AS "companyName" FROM business_employees be JOIN business_accounts ba ON ba.id = be.business_id
        WHERE be.user_id = :clientId`,
      { clientId },
    );
  }

  async usage(businessId: string, companyName: string): Promise<BusinessUsage> {
    const minimum = BUSINESS_MINIMUM_GROUP_SIZE;
    const [totals] = await this.select<EmployeeTotalsRow>(
      `SELECT count(*) FILTER (WHERE enrollment_status = 'invited')::int AS invited,
              count(*) FILTER (WHERE enrollment_status = 'active')::int AS active,
              count(*) FILTER (WHERE enrollment_status = 'inactive')::int AS inactive,
              count(*) FILTER (WHERE enrollment_status = 'departed')::int AS departed,
              CASE WHEN bool_or(therapy_sessions_limit IS NULL) FILTER (WHERE enrollment_status = 'active') THEN NULL
                   ELSE coalesce(sum(therapy_sessions_limit) FILTER (WHERE enrollment_status = 'active'), 0) END::int AS purchased,
              -- Session use counts only employees who did not withdraw consent to business analytics (1250).
              coalesce(sum(therapy_sessions_used) FILTER (WHERE NOT consent_withdrawn(user_id, 'business_analytics')), 0)::int AS used,
              count(*) FILTER (WHERE therapy_sessions_used > 0 AND NOT consent_withdrawn(user_id, 'business_analytics'))::int AS employees_with_sessions
         FROM business_employees WHERE business_id = :businessId`,
      { businessId },
    );
    // Months in which fewer than `minimum` employees had sessions are left out, as a whole.
    const months = await this.select<MonthRow>(
      // Through a function: a company admin may not see its employees' appointments, only these aggregates.
      `SELECT month, booked, completed, cancelled, no_show FROM business_sessions_by_month(:businessId, :minimum)`,
      { businessId, minimum },
    );
    const { purchased, used, employees_with_sessions: employeesWithSessions, ...employees } = totals!;
    return {
      businessId,
      companyName,
      employees,
      sessionsPurchased: purchased,
      sessions:
        employeesWithSessions < minimum
          ? null
          : { used, employeesWithSessions, byMonth: months.map(({ no_show: noShow, ...month }) => ({ ...month, noShow })) },
      minimumGroupSize: minimum,
      asOf: new Date().toISOString(),
    };
  }
}
