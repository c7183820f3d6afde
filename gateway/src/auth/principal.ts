export type Role = 'admin' | 'editor' | 'viewer';

/** Who is calling, set on the request by the auth guard (JWT or API key). */
export interface Principal {
  userId: string;
  workspaceId: string;
  role: Role;
  /** 'user' for JWT sessions, 'api-key' for automation keys. */
  kind: 'user' | 'api-key';
}

export const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };
