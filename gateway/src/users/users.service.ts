import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import type { ChangePasswordDto, CreateUserDto, CreateWorkspaceDto, UpdateUserDto } from '../auth/auth.dto';
import { AuthService } from '../auth/auth.service';
import { PasswordService } from '../auth/password.service';
import type { Principal } from '../auth/principal';
import { GatewayDb } from '../db/gateway-db';
import { decodeCursor, pageOf } from '../http/cursor';
import { publicUser, UsersRepository, type UserRecord } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly db: GatewayDb,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly auth: AuthService,
  ) {}

  async me(principal: Principal): Promise<UserRecord & { workspaceName: string }> {
    const user = principal.kind === 'user' ? await this.users.findById(principal, principal.userId) : undefined;
    if (!user) throw new AppError('not_a_user', 'This credential is not a user session', 404);
    return { ...publicUser(user), workspaceName: (await this.users.workspaceName(principal)) ?? '' };
  }

  async list(principal: Principal, limit: number, cursor?: string) {
    const after = decodeCursor(cursor);
    const rows = await this.users.list(principal, limit, after && { createdAt: after.at, id: after.id });
    return pageOf(rows.map(publicUser), limit, (u) => ({ at: u.createdAt, id: u.id }));
  }

  async create(principal: Principal, dto: CreateUserDto): Promise<UserRecord> {
    return this.createIn(principal.workspaceId, dto);
  }

  async update(principal: Principal, id: string, dto: UpdateUserDto): Promise<UserRecord> {
    const target = await this.users.findById(principal, id);
    if (!target) throw AppError.notFound('User', id);
    if (target.isOwner && (dto.disabled || (dto.role && dto.role !== 'admin'))) {
      throw AppError.conflict('owner_protected', 'The installation owner cannot be demoted or disabled');
    }
    await this.users.update(principal, id, {
      role: dto.role,
      disabledAt: dto.disabled === undefined ? undefined : dto.disabled ? this.clock.now() : null,
    });
    // A changed role or a disabled account must not keep working through live sessions.
    await this.auth.revokeUserSessions(principal, id, dto.disabled ? 'user_disabled' : 'role_changed');
    const updated = await this.users.findById(principal, id);
    if (!updated) throw AppError.notFound('User', id);
    return publicUser(updated);
  }

  /** A user changes their own password; every session of theirs ends, so they sign in again with it. */
  async changePassword(principal: Principal, dto: ChangePasswordDto): Promise<{ ok: true }> {
    const user = principal.kind === 'user' ? await this.users.findById(principal, principal.userId) : undefined;
    if (!user) throw new AppError('not_a_user', 'Only a signed-in person can change a password', 403);
    if (!(await this.passwords.verify(user.passwordHash, dto.currentPassword))) {
      throw new AppError('wrong_password', 'The current password is not right', 400);
    }
    if (dto.currentPassword === dto.newPassword) throw AppError.validation('The new password is the same as the current one');
    await this.users.setPasswordHash(principal, user.id, await this.passwords.hash(dto.newPassword));
    await this.auth.revokeUserSessions(principal, user.id, 'password_changed');
    return { ok: true };
  }

  /** Only the installation owner creates workspaces; each starts with its own administrator. */
  async createWorkspace(principal: Principal, dto: CreateWorkspaceDto) {
    const owner = principal.kind === 'user' ? await this.users.findById(principal, principal.userId) : undefined;
    if (!owner?.isOwner) throw new AppError('forbidden', 'Only the installation owner can create workspaces', 403);
    const workspaceId = randomUUID();
    await this.users.insertWorkspace(workspaceId, dto.name, this.clock.now());
    const admin = await this.createIn(workspaceId, { ...dto.admin, role: 'admin' });
    return { id: workspaceId, name: dto.name, admin };
  }

  private async createIn(workspaceId: string, dto: CreateUserDto): Promise<UserRecord> {
    const passwordHash = await this.passwords.hash(dto.password);
    const user = {
      id: randomUUID(),
      workspaceId,
      email: dto.email,
      displayName: dto.displayName,
      passwordHash,
      role: dto.role,
      isOwner: false,
      createdAt: this.clock.now(),
      disabledAt: null,
    };
    try {
      await this.db.transaction(async (tx) => {
        if (await this.users.emailTaken(dto.email, tx)) throw AppError.conflict('email_taken', 'This e-mail is already in use');
        await this.users.insert(user, tx);
      });
    } catch (e) {
      if (e instanceof AppError) throw e;
      if ((e as { code?: string }).code === '23505') throw AppError.conflict('email_taken', 'This e-mail is already in use');
      throw e;
    }
    return publicUser(user);
  }
}
