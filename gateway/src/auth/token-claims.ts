import { z } from 'zod';

/** Claims the gateway puts in an access token beside iss/aud/iat/nbf/exp/jti. */
export const accessClaimsSchema = z.object({
  sub: z.string().uuid(),
  wid: z.string().uuid(),
  role: z.enum(['admin', 'editor', 'viewer']),
  sid: z.string().uuid(),
  jti: z.string().min(1).max(64),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

/** Header `typ` of access tokens; SSE tickets use their own so one can never stand in for the other. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const SSE_TICKET_TYPE = 'sse-ticket+jwt';

/** Tokens longer than this are rejected before any parsing (our tokens are about 500 bytes). */
export const MAX_TOKEN_LENGTH = 2048;
