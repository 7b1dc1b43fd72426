import type { Models } from '../database/index.js';

export class MeRepository {
  constructor(private readonly models: Models) {}

  findWithProfile(userId: string) {
    return this.models.User.findOne({
      where: { id: userId, deletedAt: null },
      include: [{ model: this.models.UserProfile, as: 'profile' }],
    });
  }

  async updateProfile(userId: string, changes: Record<string, unknown>): Promise<void> {
    await this.models.UserProfile.update(changes, { where: { userId } });
  }
}
