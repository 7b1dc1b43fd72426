import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  loginRequestSchema,
  loginResponseSchema,
  passwordChangeRequestSchema,
  passwordForgotRequestSchema,
  passwordResetRequestSchema,
  refreshRequestSchema,
  registerRequestSchema,
  registeredUserSchema,
  tokenPairSchema,
  tokenRequestSchema,
  twoFactorCodeRequestSchema,
  twoFactorDisableRequestSchema,
  twoFactorLoginRequestSchema,
  twoFactorSetupResponseSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, requestOrigin as origin, type AppEnv } from '../http/index.js';
import type { AuthService } from './auth.service.js';

const noContent = { description: 'Done' };
const secured = [{ bearerAuth: [] }];

const routes = {
  register: createRoute({
    method: 'post', path: '/register', tags: ['auth'],
    summary: 'Create a client or therapist account; a verification email is queued (to an address that has an account: a notice to its owner instead)',
    request: { body: jsonBody(registerRequestSchema) },
    responses: { 202: { description: 'Accepted, the same whether or not the address has an account: check the email' }, ...errorResponses(400, 409, 429) },
  }),
  verifyEmail: createRoute({
    method: 'post', path: '/verify-email', tags: ['auth'], summary: 'Confirm an email address with the single-use token from the email',
    request: { body: jsonBody(tokenRequestSchema) },
    responses: { 200: jsonContent(registeredUserSchema, 'Email verified'), ...errorResponses(400, 401, 429) },
  }),
  login: createRoute({
    method: 'post', path: '/login', tags: ['auth'], summary: 'Log in; answers with tokens, or a challenge when 2FA is on',
    request: { body: jsonBody(loginRequestSchema) },
    responses: { 200: jsonContent(loginResponseSchema, 'Tokens or a 2FA challenge'), ...errorResponses(400, 401, 403, 429) },
  }),
  loginTwoFactor: createRoute({
    method: 'post', path: '/login/2fa', tags: ['auth'], summary: 'Finish a login with the 6-digit code of the authenticator app',
    request: { body: jsonBody(twoFactorLoginRequestSchema) },
    responses: { 200: jsonContent(tokenPairSchema, 'Tokens'), ...errorResponses(400, 401, 429) },
  }),
  refresh: createRoute({
    method: 'post', path: '/refresh', tags: ['auth'], summary: 'Trade a refresh token for new tokens (the old one stops working)',
    request: { body: jsonBody(refreshRequestSchema) },
    responses: { 200: jsonContent(tokenPairSchema, 'Tokens'), ...errorResponses(400, 401, 429) },
  }),
  logout: createRoute({
    method: 'post', path: '/logout', tags: ['auth'], summary: 'Revoke a refresh token and every token rotated from it',
    request: { body: jsonBody(refreshRequestSchema) },
    responses: { 204: noContent, ...errorResponses(400, 429) },
  }),
  changePassword: createRoute({
    method: 'post', path: '/password/change', tags: ['auth'], summary: 'Change the password; signs out every other session and answers this one’s new tokens', security: secured,
    request: { body: jsonBody(passwordChangeRequestSchema) },
    responses: { 200: jsonContent(tokenPairSchema, 'Tokens for this device'), ...errorResponses(400, 401, 429) },
  }),
  forgotPassword: createRoute({
    method: 'post', path: '/password/forgot', tags: ['auth'], summary: 'Email a password reset link if the account exists',
    request: { body: jsonBody(passwordForgotRequestSchema) },
    responses: { 202: { description: 'Accepted (whether or not the account exists)' }, ...errorResponses(400, 429) },
  }),
  resetPassword: createRoute({
    method: 'post', path: '/password/reset', tags: ['auth'], summary: 'Set a new password with the single-use token from the email',
    request: { body: jsonBody(passwordResetRequestSchema) },
    responses: { 204: noContent, ...errorResponses(400, 401, 429) },
  }),
  setupTwoFactor: createRoute({
    method: 'post', path: '/2fa/setup', tags: ['auth'], summary: 'Start TOTP enrolment: a new secret to scan', security: secured,
    responses: { 200: jsonContent(twoFactorSetupResponseSchema, 'Secret and otpauth URL'), ...errorResponses(401, 409, 429) },
  }),
  confirmTwoFactor: createRoute({
    method: 'post', path: '/2fa/confirm', tags: ['auth'], summary: 'Turn 2FA on with a code from the scanned secret', security: secured,
    request: { body: jsonBody(twoFactorCodeRequestSchema) },
    responses: { 204: noContent, ...errorResponses(400, 401, 409, 429) },
  }),
  disableTwoFactor: createRoute({
    method: 'post', path: '/2fa/disable', tags: ['auth'], summary: 'Turn 2FA off with the password and a current code', security: secured,
    request: { body: jsonBody(twoFactorDisableRequestSchema) },
    responses: { 204: noContent, ...errorResponses(400, 401, 409, 429) },
  }),
};

export interface AuthRouteDeps {
  service: AuthService;
  /** Verifies the access token; guards the routes that act on the signed-in user. */
  authenticated: MiddlewareHandler<AppEnv>;
  rateLimit: MiddlewareHandler<AppEnv>;
}

/** `/auth/*`: every route is rate limited per client IP. */
export function authRoutes({ service, authenticated, rateLimit }: AuthRouteDeps) {
  const router = createRouter();
  router.use('*', rateLimit);
  for (const path of ['/password/change', '/2fa/*']) router.use(path, authenticated);

  return router
    .openapi(routes.register, async (c) => {
      await service.register(c.req.valid('json'), origin(c));
      return c.body(null, 202);
    })
    .openapi(routes.verifyEmail, async (c) => c.json(await service.verifyEmail(c.req.valid('json').token), 200))
    .openapi(routes.login, async (c) => {
      const { email, password } = c.req.valid('json');
      return c.json(await service.login(email, password, origin(c)), 200);
    })
    .openapi(routes.loginTwoFactor, async (c) => {
      const { challengeToken, code } = c.req.valid('json');
      return c.json(await service.loginWithTwoFactor(challengeToken, code, origin(c)), 200);
    })
    .openapi(routes.refresh, async (c) => c.json(await service.refresh(c.req.valid('json').refreshToken, origin(c)), 200))
    .openapi(routes.logout, async (c) => {
      await service.logout(c.req.valid('json').refreshToken);
      return c.body(null, 204);
    })
    .openapi(routes.changePassword, async (c) => {
      const { currentPassword, newPassword } = c.req.valid('json');
      return c.json(await service.changePassword(c.var.user.id, currentPassword, newPassword, origin(c)), 200);
    })
    .openapi(routes.forgotPassword, async (c) => {
      await service.requestPasswordReset(c.req.valid('json').email);
      return c.body(null, 202);
    })
    .openapi(routes.resetPassword, async (c) => {
      const { token, newPassword } = c.req.valid('json');
      await service.resetPassword(token, newPassword, origin(c));
      return c.body(null, 204);
    })
    .openapi(routes.setupTwoFactor, async (c) => c.json(await service.setupTwoFactor(c.var.user.id, origin(c)), 200))
    .openapi(routes.confirmTwoFactor, async (c) => {
      await service.confirmTwoFactor(c.var.user.id, c.req.valid('json').code, origin(c));
      return c.body(null, 204);
    })
    .openapi(routes.disableTwoFactor, async (c) => {
      const { password, code } = c.req.valid('json');
      await service.disableTwoFactor(c.var.user.id, password, code, origin(c));
      return c.body(null, 204);
    });
}

