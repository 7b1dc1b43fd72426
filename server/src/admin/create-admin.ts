import { QueryTypes, type Sequelize } from 'sequelize';
import { z } from 'zod';
import { emailSchema, passwordSchema } from '@therapy-field/sync';
import { AuditLog } from '../audit/index.js';
import { hashPassword, normalizeEmail } from '../auth/index.js';
import { StartupError } from '../config/index.js';

export const platformAdminSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
});

export type PlatformAdmin = z.infer<typeof platformAdminSchema>;

/**
 * The first platform admin (and any later one) without SQL: an active, verified `super_admin`
 * with a profile, audited. An address that already has an account is refused, never promoted:
 * turning someone's account into an admin is not what this command is for.
 */
export async function createPlatformAdmin(sequelize: Sequelize, input: unknown): Promise<{ id: string; email: string }> {
  const parsed = platformAdminSchema.safeParse(input);
  if (!parsed.success) throw new StartupError(`create-admin: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ')}`);
  const admin = parsed.data;
  const passwordHash = await hashPassword(admin.password);
  return sequelize.transaction(async (transaction) => {
    const [user] = await sequelize.query<{ id: string }>(
      `INSERT INTO users (email, email_normalized, password_hash, role, status, email_verified, email_verified_at)
       VALUES (:email, :normalized, :passwordHash, 'super_admin', 'active', true, now())
       ON CONFLICT DO NOTHING RETURNING id`,
      { type: QueryTypes.SELECT, transaction, replacements: { email: admin.email, normalized: normalizeEmail(admin.email), passwordHash } },
    );
    if (!user) throw new StartupError(`create-admin: ${admin.email} already has an account; choose another address`);
    await sequelize.query(
      `INSERT INTO user_profiles (user_id, first_name, last_name, display_name, language, timezone)
       VALUES (:id, :firstName, :lastName, :displayName, 'el', 'Europe/Athens')`,
      { type: QueryTypes.INSERT, transaction, replacements: { id: user.id, firstName: admin.firstName, lastName: admin.lastName, displayName: `${admin.firstName} ${admin.lastName}` } },
    );
    await new AuditLog(sequelize).record({ actorId: null, action: 'admin.created', entityType: 'user', entityId: user.id, metadata: { via: 'create-admin' } }, transaction);
    return { id: user.id, email: admin.email };
  });
}
