import { z } from 'zod';

const email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
/** Length only (NIST 800-63B): at least 12 characters, at most 256 so hashing stays bounded. */
const password = z.string().min(12).max(256);
export const roleSchema = z.enum(['admin', 'editor', 'viewer']);

export const setupSchema = z.object({
  email,
  password,
  displayName: z.string().trim().min(1).max(100),
  workspaceName: z.string().trim().min(1).max(100),
});
export type SetupDto = z.infer<typeof setupSchema>;

export const loginSchema = z.object({ email, password: z.string().min(1).max(256) });
export type LoginDto = z.infer<typeof loginSchema>;

export const refreshSchema = z.object({ refreshToken: z.string().min(1).max(200) });
export type RefreshDto = z.infer<typeof refreshSchema>;

export const createUserSchema = z.object({
  email,
  password,
  displayName: z.string().trim().min(1).max(100),
  role: roleSchema,
});
export type CreateUserDto = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({ role: roleSchema.optional(), disabled: z.boolean().optional() })
  .refine((v) => v.role !== undefined || v.disabled !== undefined, { message: 'Nothing to change' });
export type UpdateUserDto = z.infer<typeof updateUserSchema>;

export const changePasswordSchema = z.object({ currentPassword: z.string().min(1).max(256), newPassword: password });
export type ChangePasswordDto = z.infer<typeof changePasswordSchema>;

export const createWorkspaceSchema = z.object({
  name: z.string().trim().min(1).max(100),
  admin: createUserSchema.omit({ role: true }),
});
export type CreateWorkspaceDto = z.infer<typeof createWorkspaceSchema>;

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: roleSchema,
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateApiKeyDto = z.infer<typeof createApiKeySchema>;

/** Keyset page query shared by the gateway's list endpoints. */
export const MAX_PAGE_SIZE = 200;
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(512).optional(),
});

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}
