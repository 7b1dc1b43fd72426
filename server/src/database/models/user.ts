import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Role } from '@therapy-field/sync';

export type UserStatus = 'pending' | 'active' | 'suspended' | 'deleted';

export function defineUser(sequelize: Sequelize) {
  class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
    declare id: CreationOptional<string>;
    declare email: string;
    declare emailNormalized: string;
    declare passwordHash: string;
    declare role: Role;
    declare status: CreationOptional<UserStatus>;
    declare emailVerified: CreationOptional<boolean>;
    declare emailVerifiedAt: Date | null;
    declare twoFactorEnabled: CreationOptional<boolean>;
    /** Sealed by FieldCipher. */
    declare twoFactorSecret: Buffer | null;
    declare twoFactorPendingSecret: Buffer | null;
    /** The jti of the one pending 2FA login challenge; cleared when it is used. */
    declare twoFactorChallengeId: string | null;
    /** The key the 2FA secrets were sealed with (key rotation finds stale rows by it). */
    declare encryptionKeyId: string | null;
    declare lastLoginAt: Date | null;
    declare lastLoginIp: string | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
    declare deletedAt: Date | null;
  }

  return User.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      email: { type: DataTypes.STRING(255), allowNull: false },
      emailNormalized: { type: DataTypes.STRING(255), allowNull: false },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      role: { type: DataTypes.STRING, allowNull: false },
      status: { type: DataTypes.STRING, allowNull: false, defaultValue: 'pending' },
      emailVerified: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      emailVerifiedAt: DataTypes.DATE,
      twoFactorEnabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      twoFactorSecret: DataTypes.BLOB,
      twoFactorPendingSecret: DataTypes.BLOB,
      twoFactorChallengeId: DataTypes.UUID,
      encryptionKeyId: DataTypes.TEXT,
      lastLoginAt: DataTypes.DATE,
      lastLoginIp: DataTypes.INET,
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
      deletedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'users', underscored: true },
  );
}

export type User = InstanceType<ReturnType<typeof defineUser>>;
