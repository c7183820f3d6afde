import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { jsonSchemaOf } from './zod.pipe';

/** Response shapes of the gateway's own routes, for the OpenAPI document the dashboard client is generated from. */
const instant = z.iso.datetime();
const role = z.enum(['admin', 'editor', 'viewer']);

export const userResponse = z.object({
  id: z.uuid(),
  workspaceId: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role,
  isOwner: z.boolean(),
  createdAt: instant,
  disabledAt: instant.nullable(),
});

export const tokenPairResponse = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: instant,
  refreshToken: z.string(),
  refreshTokenExpiresAt: instant,
});

export const loginResponse = tokenPairResponse.extend({ user: userResponse });

export const apiKeyResponse = z.object({
  id: z.uuid(),
  workspaceId: z.uuid(),
  name: z.string(),
  role,
  createdBy: z.string(),
  createdAt: instant,
  expiresAt: instant.nullable(),
  lastUsedAt: instant.nullable(),
  revokedAt: instant.nullable(),
});

export const auditEntryResponse = z.object({
  id: z.uuid(),
  workspaceId: z.string(),
  at: instant,
  actorId: z.string(),
  actorKind: z.enum(['user', 'api-key', 'anonymous']),
  action: z.string(),
  target: z.string(),
  outcome: z.enum(['success', 'denied', 'error']),
  status: z.number().int(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  correlationId: z.string(),
});

export const pageResponse = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const errorResponse = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  correlationId: z.string(),
});

/** `@ZodResponse(200, schema)`: documents a response body with the JSON Schema of a zod schema. */
export const ZodResponse = (status: number, schema: z.ZodType, description = '') =>
  ApiResponse({ status, description, schema: jsonSchemaOf(schema, 'output') });
