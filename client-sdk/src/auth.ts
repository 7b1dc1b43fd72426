import type { LoginResponse, TokenPair, TwoFactorChallenge } from '@therapy-field/sync';
import type { HttpClient, Session } from './http.js';

/** Login (with 2FA), token refresh and logout; the session lives in the client. */
export class AuthApi {
  constructor(private readonly http: HttpClient) {}

  /** The signed-in user's tokens and id, or null. */
  get session(): Session | null {
    return this.http.session;
  }

  /**
   * Logs in. With two-factor authentication on, the answer is a challenge: finish it with
   * `verifyTwoFactor`.
   * @example
   * const result = await client.auth.login('maria@example.gr', 'correct horse battery staple');
   * if ('twoFactorRequired' in result) await client.auth.verifyTwoFactor(result.challengeToken, '123456');
   */
  async login(email: string, password: string): Promise<Session | TwoFactorChallenge> {
    const response = await this.http.request<LoginResponse>('POST', '/auth/login', { email, password }, { auth: false });
    if ('twoFactorRequired' in response) return response;
    this.http.setSession(response);
    return this.http.session!;
  }

  /**
   * Finishes a login with the 6-digit code of the authenticator app.
   * @example
   * await client.auth.verifyTwoFactor(challenge.challengeToken, '123456');
   */
  async verifyTwoFactor(challengeToken: string, code: string): Promise<Session> {
    this.http.setSession(await this.http.request<TokenPair>('POST', '/auth/login/2fa', { challengeToken, code }, { auth: false }));
    return this.http.session!;
  }

  /**
   * Gets new tokens with the refresh token (done for you when a request meets an expired token).
   * @example
   * await client.auth.refresh();
   */
  async refresh(): Promise<Session> {
    await this.http.refresh();
    return this.http.session!;
  }

  /**
   * Restores a session saved earlier (e.g. from secure storage) without logging in again.
   * @example
   * client.auth.resume(JSON.parse(localStorage.getItem('session')!));
   */
  resume(session: Session): void {
    this.http.setSession({ tokenType: 'Bearer', accessToken: session.accessToken, refreshToken: session.refreshToken, expiresIn: 0, user: { id: session.userId, role: session.role } });
  }

  /**
   * Revokes the refresh token on the server and forgets the session.
   * @example
   * await client.auth.logout();
   */
  async logout(): Promise<void> {
    const session = this.http.session;
    if (session) await this.http.request('POST', '/auth/logout', { refreshToken: session.refreshToken }, { auth: false }).catch(() => undefined);
    this.http.setSession(null);
  }
}
