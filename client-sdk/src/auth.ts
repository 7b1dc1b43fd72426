import type { LoginResponse, RegisteredUser, RegisterRequest, TokenPair, TwoFactorChallenge, TwoFactorSetup } from '@therapy-field/sync';
import type { HttpClient, Session } from './http.js';

/** Accounts (register, verify email, passwords, 2FA), login, token refresh and logout; the session lives in the client. */
export class AuthApi {
  constructor(private readonly http: HttpClient) {}

  /** The signed-in user's tokens and id, or null. */
  get session(): Session | null {
    return this.http.session;
  }

  /**
   * Creates a client or therapist account; a verification email is sent, and login waits for it.
   * Resolves the same when the address already has an account (its owner gets a notice
   * instead), so the answer tells nobody which addresses are registered.
   * @example
   * await client.auth.register({ role: 'client', email: 'maria@example.gr', password: 'correct horse battery staple', firstName: 'Μαρία', lastName: 'Παπαδοπούλου' });
   */
  register(request: RegisterRequest): Promise<void> {
    return this.http.request<void>('POST', '/auth/register', request, { auth: false });
  }

  /**
   * Confirms the email address with the single-use token from the verification email's link.
   * @example
   * await client.auth.verifyEmail(new URL(link).searchParams.get('token')!);
   */
  verifyEmail(token: string): Promise<RegisteredUser> {
    return this.http.request<RegisteredUser>('POST', '/auth/verify-email', { token }, { auth: false });
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
   * Changes the signed-in user's password. Every other session of the account is signed out; this
   * one carries on with the fresh tokens the server answers.
   * @example
   * await client.auth.changePassword('correct horse battery staple', 'a new and longer passphrase');
   */
  async changePassword(currentPassword: string, newPassword: string): Promise<Session> {
    this.http.setSession(await this.http.request<TokenPair>('POST', '/auth/password/change', { currentPassword, newPassword }));
    return this.http.session!;
  }

  /**
   * Emails a password reset link if the account exists (the answer is the same either way).
   * @example
   * await client.auth.forgotPassword('maria@example.gr');
   */
  forgotPassword(email: string): Promise<void> {
    return this.http.request<void>('POST', '/auth/password/forgot', { email }, { auth: false });
  }

  /**
   * Sets a new password with the single-use token from the reset email's link.
   * @example
   * await client.auth.resetPassword(token, 'a new and longer passphrase');
   */
  resetPassword(token: string, newPassword: string): Promise<void> {
    return this.http.request<void>('POST', '/auth/password/reset', { token, newPassword }, { auth: false });
  }

  /**
   * Starts two-factor enrolment: a new TOTP secret and its `otpauth://` URL to show as a QR code.
   * 2FA is on only after `confirmTwoFactor`.
   * @example
   * const { otpauthUrl } = await client.auth.setupTwoFactor();
   */
  setupTwoFactor(): Promise<TwoFactorSetup> {
    return this.http.request<TwoFactorSetup>('POST', '/auth/2fa/setup');
  }

  /**
   * Turns two-factor authentication on with a code from the scanned secret.
   * @example
   * await client.auth.confirmTwoFactor('123456');
   */
  confirmTwoFactor(code: string): Promise<void> {
    return this.http.request<void>('POST', '/auth/2fa/confirm', { code });
  }

  /**
   * Turns two-factor authentication off with the password and a current code.
   * @example
   * await client.auth.disableTwoFactor('correct horse battery staple', '123456');
   */
  disableTwoFactor(password: string, code: string): Promise<void> {
    return this.http.request<void>('POST', '/auth/2fa/disable', { password, code });
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
