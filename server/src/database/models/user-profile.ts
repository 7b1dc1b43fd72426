import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export function defineUserProfile(sequelize: Sequelize) {
  class UserProfile extends Model<InferAttributes<UserProfile>, InferCreationAttributes<UserProfile>> {
    declare userId: string;
    declare firstName: string;
    declare lastName: string;
    declare displayName: string | null;
    declare phone: string | null;
    declare birthDate: string | null;
    declare gender: string | null;
    declare profilePhotoUrl: string | null;
    declare language: CreationOptional<string>;
    declare timezone: CreationOptional<string>;
    declare emailReminders: CreationOptional<boolean>;
    declare emailNewMessages: CreationOptional<boolean>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }

  return UserProfile.init(
    {
      userId: { type: DataTypes.UUID, primaryKey: true },
      firstName: { type: DataTypes.STRING(100), allowNull: false },
      lastName: { type: DataTypes.STRING(100), allowNull: false },
      displayName: DataTypes.STRING(200),
      phone: DataTypes.STRING(20),
      birthDate: DataTypes.DATEONLY,
      gender: DataTypes.STRING,
      profilePhotoUrl: DataTypes.STRING(500),
      language: { type: DataTypes.STRING(5), allowNull: false, defaultValue: 'el' },
      timezone: { type: DataTypes.STRING(50), allowNull: false, defaultValue: 'Europe/Athens' },
      emailReminders: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      emailNewMessages: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'user_profiles', underscored: true },
  );
}

export type UserProfile = InstanceType<ReturnType<typeof defineUserProfile>>;
