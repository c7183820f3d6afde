import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import type { CreateApiKeyDto } from '../auth/auth.dto';
import { ROLE_RANK, type Principal } from '../auth/principal';
import { hashSecret } from '../auth/refresh-token';
import { SessionEvents } from '../auth/session-events.service';
import { decodeCursor, pageOf } from '../http/cursor';
import { ApiKeysRepository, type ApiKeyRecord } from './api-keys.repository';

export const API_KEY_PREFIX = 'sxk_';

export interface CreatedApiKey extends ApiKeyRecord {
  /** The only time the secret is returned; only its SHA-256 is stored. */
  key: string;
}

@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: ApiKeysRepository,
    private readonly events: SessionEvents,
  ) {}

  async create(principal: Principal, dto: CreateApiKeyDto): Promise<CreatedApiKey> {
    if (ROLE_RANK[dto.role] > ROLE_RANK[principal.role]) {
      throw new AppError('role_too_high', 'An API key cannot have a higher role than its creator', 403);
    }
    const now = this.clock.now();
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record: ApiKeyRecord = {
      id: randomUUID(),
      workspaceId: principal.workspaceId,
      name: dto.name,
      role: dto.role,
      createdBy: principal.userId,
      createdAt: now,
      expiresAt: dto.expiresInDays ? new Date(now.getTime() + dto.expiresInDays * 86_400_000) : null,
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.repo.insert({ ...record, keyHash: hashSecret(key) });
    return { ...record, key };
  }

  async list(principal: Principal, limit: number, cursor?: string) {
    const after = decodeCursor(cursor);
    const items = await this.repo.list(principal, limit, after && { createdAt: after.at, id: after.id });
    return pageOf(items, limit, (k) => ({ at: k.createdAt, id: k.id }));
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    if (!(await this.repo.revoke(principal, id, this.clock.now()))) throw AppError.notFound('API key', id);
    this.events.revoked('api-key', id);
  }

  /** The principal of a presented key, or undefined when it is unknown, revoked or expired. */
  async authenticate(key: string): Promise<Principal | undefined> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return undefined;
    const record = await this.repo.findByHash(hashSecret(key));
    const now = this.clock.now();
    if (!record || record.revokedAt || (record.expiresAt && record.expiresAt <= now)) return undefined;
    await this.repo.touch(record.id, now);
    return { userId: record.id, workspaceId: record.workspaceId, role: record.role, kind: 'api-key' };
  }
}
