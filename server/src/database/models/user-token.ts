import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type UserTokenPurpose = 'email_verification' | 'password_reset';

/** A single-use token mailed to the user; only its SHA-256 is stored. */
export function defineUserToken(sequelize: Sequelize) {
  class UserToken extends Model<InferAttributes<UserToken>, InferCreationAttributes<UserToken>> {
    declare id: CreationOptional<string>;
    declare userId: string;
    declare purpose: UserTokenPurpose;
    declare tokenHash: string;
    declare expiresAt: Date;
    declare usedAt: Date | null;
    declare createdAt: CreationOptional<Date>;
  }

  return UserToken.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      userId: { type: DataTypes.UUID, allowNull: false },
      purpose: { type: DataTypes.STRING, allowNull: false },
      tokenHash: { type: DataTypes.TEXT, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      usedAt: DataTypes.DATE,
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'user_tokens', underscored: true, updatedAt: false },
  );
}

export type UserToken = InstanceType<ReturnType<typeof defineUserToken>>;
