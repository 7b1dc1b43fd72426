import { NotFoundError, type Me, type UpdateMeRequest } from '@therapy-field/sync';
import type { UserProfile } from '../database/index.js';
import type { MeRepository } from './me.repository.js';

/** The signed-in user's own account and profile. */
export class MeService {
  constructor(private readonly repository: MeRepository) {}

  async get(userId: string): Promise<Me> {
    const user = await this.repository.findWithProfile(userId);
    if (!user) throw new NotFoundError('User');
    const profile = (user as unknown as { profile: UserProfile }).profile;
    return {
      id: user.id,
      email: user.email,
      role: user.role,
      status: user.status,
      emailVerified: user.emailVerified,
      twoFactorEnabled: user.twoFactorEnabled,
      lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
      profile: {
        firstName: profile.firstName,
        lastName: profile.lastName,
        displayName: profile.displayName,
        phone: profile.phone,
        birthDate: profile.birthDate,
        gender: profile.gender as Me['profile']['gender'],
        language: profile.language as Me['profile']['language'],
        timezone: profile.timezone,
        emailReminders: profile.emailReminders,
        emailNewMessages: profile.emailNewMessages,
      },
    };
  }

  async update(userId: string, changes: UpdateMeRequest): Promise<Me> {
    await this.repository.updateProfile(userId, changes);
    return this.get(userId);
  }
}
