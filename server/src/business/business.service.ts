import { NotFoundError, type BusinessUsage, type MyBusinesses } from '@therapy-field/sync';
import { cacheEntries, type ReadCache } from '../cache/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import type { BusinessRepository } from './business.repository.js';

/** What a company's admins may see: their own company's totals, never an employee's record. */
export class BusinessService {
  constructor(
    private readonly repository: BusinessRepository,
    private readonly cache: ReadCache,
  ) {}

  async mine(viewer: AuthenticatedUser): Promise<MyBusinesses> {
    return { businesses: await this.repository.administeredBy(viewer.id) };
  }

  /** A company's usage, for its admins and super admins; anyone else is told it does not exist. */
  async usage(viewer: AuthenticatedUser, businessId: string): Promise<BusinessUsage> {
    const companyName = await this.repository.companyNameFor(businessId, viewer.id, viewer.role === 'super_admin');
    if (companyName === null) throw new NotFoundError('Business');
    return this.cache.read(cacheEntries.businessUsage(businessId, viewer.id), () => this.repository.usage(businessId, companyName));
  }

  /** The usage of every company paying for `clientId`, after one of their appointments changed. */
  async usageOfEmployers(clientId: string): Promise<BusinessUsage[]> {
    const employers = await this.repository.employersOf(clientId);
    return Promise.all(employers.map((employer) => this.repository.usage(employer.id, employer.companyName)));
  }
}
