import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@sx/config';
import { FakeClock } from '@sx/testing';
import { AccessTokenService } from './access-token.service';
import { JwtKeysService } from './jwt-keys.service';

describe('JWT signing keys', () => {
  let dir: string;
  const clock = new FakeClock('2026-03-01T10:00:00Z');
  const make = () => {
    const config = loadConfig({ SX_DATA_DIR: dir });
    const keys = new JwtKeysService(config, clock);
    return { keys, tokens: new AccessTokenService(config, clock, keys) };
  };
  const subject = { userId: '6a1f2b38-51a5-4c59-9a43-3f1c8d7c1b11', workspaceId: '0c8c7d0e-2f52-4b8e-9d0a-5a7c1f3e2d10', role: 'editor' as const, sessionId: '3b0d1c9a-7e44-4f3e-8a6b-1d2c3e4f5a6b' };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sx-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates one Ed25519 key on first start, readable by the owner only', async () => {
    const { keys } = make();
    await keys.start();
    expect(statSync(keys.keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(keys.keyFile)).mode & 0o777).toBe(0o700);
    expect(keys.signingKey().kid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the keys across restarts, so issued tokens stay valid', async () => {
    const first = make();
    await first.keys.start();
    const { token } = await first.tokens.issueAccess(subject);
    const second = make();
    await second.keys.start();
    expect(second.keys.signingKey().kid).toBe(first.keys.signingKey().kid);
    await expect(second.tokens.verifyAccess(token)).resolves.toMatchObject({ sub: subject.userId, wid: subject.workspaceId, role: 'editor' });
  });

  it('agrees on one key when two processes start at once', async () => {
    const a = make();
    const b = make();
    await Promise.all([a.keys.start(), b.keys.start()]);
    expect(a.keys.signingKey().kid).toBe(b.keys.signingKey().kid);
  });

  it('does not verify tokens from another installation', async () => {
    const mine = make();
    await mine.keys.start();
    const otherDir = dir;
    dir = mkdtempSync(path.join(tmpdir(), 'sx-keys-'));
    const theirs = make();
    await theirs.keys.start();
    const { token } = await theirs.tokens.issueAccess(subject);
    await expect(mine.tokens.verifyAccess(token)).rejects.toMatchObject({ code: 'invalid_token', status: 401 });
    rmSync(otherDir, { recursive: true, force: true });
  });
});
