import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** One link of a rotating refresh-token family; only the SHA-256 of the token is stored. */
export function defineRefreshToken(sequelize: Sequelize) {
  class RefreshToken extends Model<InferAttributes<RefreshToken>, InferCreationAttributes<RefreshToken>> {
    declare id: CreationOptional<string>;
    declare userId: string;
    declare familyId: string;
    declare tokenHash: string;
    declare expiresAt: Date;
    declare revokedAt: Date | null;
    declare replacedBy: string | null;
    declare userAgent: string | null;
    declare ip: string | null;
    declare createdAt: CreationOptional<Date>;
  }

  return RefreshToken.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      userId: { type: DataTypes.UUID, allowNull: false },
      familyId: { type: DataTypes.UUID, allowNull: false },
      tokenHash: { type: DataTypes.TEXT, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      revokedAt: DataTypes.DATE,
      replacedBy: DataTypes.UUID,
      userAgent: DataTypes.TEXT,
      ip: DataTypes.INET,
      createdAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'refresh_tokens', underscored: true, updatedAt: false },
  );
}

export type RefreshToken = InstanceType<ReturnType<typeof defineRefreshToken>>;
