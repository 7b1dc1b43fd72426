import { secureHeaders } from 'hono/secure-headers';

/**
 * Security headers on every response. The policy is 'self'-based so that the web app served
 * from this origin and the Swagger UI at /docs work: scripts only from files of this origin,
 * inline styles allowed (Swagger UI sets them), data: images (its icons), no framing, no plugins.
 */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
  });
