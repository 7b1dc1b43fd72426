import pg from 'pg';

/** The login roles the platform works as; created (without a password) by migration 0900. */
export const APP_ROLE = 'tf_app';
export const SYSTEM_ROLE = 'tf_system';

export interface LoginRole {
  name: string;
  /** Given by the operator as is: the platform then leaves the role alone. */
  url?: string;
  password?: string;
}

/** The URL to log in as `role`: the operator's, or the owner URL's server and database as that role. */
export function loginRoleUrl(ownerUrl: string, role: LoginRole): string {
  if (role.url) return role.url;
  const url = new URL(ownerUrl);
  url.username = role.name;
  url.password = role.password ? encodeURIComponent(role.password) : '';
  return url.toString();
}

/**
 * Gives each derived login role its configured password, as the owner. Roles are cluster-wide and
 * many databases (and nodes) may start on one server at once: a role that already logs in with its
 * password is left alone, and a concurrent change of the same role is retried.
 */
export async function setLoginRolePasswords(ownerUrl: string, roles: LoginRole[]): Promise<void> {
  for (const role of roles) {
    if (role.url || !role.password) continue;
    if (await canLogIn(loginRoleUrl(ownerUrl, role))) continue;
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          // Not through Sequelize: its query log must never see the password.
          await owner.query(`ALTER ROLE ${owner.escapeIdentifier(role.name)} WITH LOGIN PASSWORD ${owner.escapeLiteral(role.password)}`);
          break;
        } catch (error) {
          if (attempt >= 5 || !/concurrently/.test(String(error))) throw error;
        }
      }
    } finally {
      await owner.end();
    }
  }
}

async function canLogIn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
