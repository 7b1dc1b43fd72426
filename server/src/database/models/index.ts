import type { Sequelize } from 'sequelize';
import { defineRefreshToken } from './refresh-token.js';
import { defineUserProfile } from './user-profile.js';
import { defineUserToken } from './user-token.js';
import { defineUser } from './user.js';

export type { User, UserStatus } from './user.js';
export type { UserProfile } from './user-profile.js';
export type { RefreshToken } from './refresh-token.js';
export type { UserToken, UserTokenPurpose } from './user-token.js';

/**
 * Defines every model on one Sequelize instance. The classes are made per instance, so two
 * platforms in one process (tests, a second node) never share a connection through a model.
 */
export function defineModels(sequelize: Sequelize) {
  const models = {
    User: defineUser(sequelize),
    UserProfile: defineUserProfile(sequelize),
    RefreshToken: defineRefreshToken(sequelize),
    UserToken: defineUserToken(sequelize),
  };
  models.User.hasOne(models.UserProfile, { foreignKey: 'userId', as: 'profile' });
  models.UserProfile.belongsTo(models.User, { foreignKey: 'userId' });
  return models;
}

export type Models = ReturnType<typeof defineModels>;
