import { Injectable, inject } from '@angular/core';
import { ApiClient, seg } from './api-client';

export type TeamRole = 'admin' | 'editor' | 'viewer';

export interface TeamMember {
  id: string;
  email: string;
  displayName: string;
  role: TeamRole;
  isOwner: boolean;
  createdAt: string;
  disabledAt: string | null;
}

/** The workspace's people (GET/POST/PATCH /api/users, admins) and one's own password (POST /api/me/password). */
@Injectable({ providedIn: 'root' })
export class TeamApi {
  private readonly api = inject(ApiClient);

  async members(): Promise<TeamMember[]> {
    return (await this.api.get<{ items: TeamMember[] }>('/api/users', { limit: 100 })).items;
  }
  add(m: { email: string; displayName: string; password: string; role: TeamRole }): Promise<TeamMember> {
    return this.api.post<TeamMember>('/api/users', m);
  }
  update(id: string, patch: { role?: TeamRole; disabled?: boolean }): Promise<TeamMember> {
    return this.api.patch<TeamMember>(`/api/users/${seg(id)}`, patch);
  }
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.api.post('/api/me/password', { currentPassword, newPassword });
  }
}
