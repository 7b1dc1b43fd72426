/** Passwords of the platform's login roles (tf_app, tf_system) on the test run's PostgreSQL. */
export const TEST_DATABASE_ROLE_PASSWORDS = {
  DATABASE_APP_PASSWORD: 'test-app-role-password',
  DATABASE_SYSTEM_PASSWORD: 'test-system-role-password',
};

export const testDatabaseRoles = {
  app: { password: TEST_DATABASE_ROLE_PASSWORDS.DATABASE_APP_PASSWORD },
  system: { password: TEST_DATABASE_ROLE_PASSWORDS.DATABASE_SYSTEM_PASSWORD },
};
