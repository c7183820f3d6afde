import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { JetStreamEventBus } from '@sx/bus';
import { DispatchRequested, type CommandContext, type Envelope } from '@sx/contracts';

export const WORKSPACE_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const FIXTURE_PLUGINS = path.join(__dirname, 'fixtures', 'plugins');
export const NATS_URL = 'nats://127.0.0.1:4222';

/** Polls `check` until it returns a value (no fixed sleeps); fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A publisher running in its own OS process (so a test can SIGKILL it mid-publish). */
export class PublisherProcess {
  private constructor(readonly child: ChildProcess) {}

  static async start(env: Record<string, string>, namespace: string, mirrorLogs = false): Promise<PublisherProcess> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'publisher-process.ts'), namespace], {
      cwd: WORKSPACE_ROOT,
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', SWC_NODE_PROJECT: 'tsconfig.base.json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    // Debugging aid: mirrors the publisher's log lines to this process's stderr.
    if (mirrorLogs) child.stdout?.on('data', (c: Buffer) => process.stderr.write(c));
    child.stderr?.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    await waitFor('publisher process ready', () => {
      if (child.exitCode !== null) throw new Error(`publisher process exited: ${err}`);
      return out.includes('ready') || undefined;
    }, 60_000);
    return new PublisherProcess(child);
  }

  /** SIGKILL: no shutdown hook runs, exactly like a crash. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((r) => {
      this.child.once('exit', () => r());
      this.child.kill('SIGKILL');
    });
  }
}

export function testBus(namespace: string): JetStreamEventBus {
  return new JetStreamEventBus({
    servers: NATS_URL,
    namespace,
    replicas: 1,
    duplicateWindowMs: 120_000,
    maxDeliver: 5,
    requestTimeoutMs: 30_000,
    name: 'publisher-e2e',
  });
}

export const jsNamespace = () => `t${randomBytes(4).toString('hex')}_`;

export function commandContext(workspaceId: string, role: CommandContext['role'] = 'editor'): CommandContext {
  return { workspaceId, actorId: 'user-1', role, correlationId: `c-${randomBytes(4).toString('hex')}` };
}

/** Publishes one dispatch the way the scheduler does (Nats-Msg-Id = job:attempt). */
export async function dispatch(
  bus: JetStreamEventBus,
  o: {
    workspaceId: string; jobId: string; accountId: string; platform: string; text: string; settings?: Record<string, unknown>; attempt?: number;
    mediaIds?: string[];
  },
): Promise<void> {
  const now = new Date().toISOString();
  await bus.publish(
    DispatchRequested,
    {
      jobId: o.jobId,
      postId: `p-${o.jobId}`,
      targetId: `t-${o.jobId}`,
      accountId: o.accountId,
      platform: o.platform,
      attempt: o.attempt ?? 1,
      fencingToken: o.attempt ?? 1,
      dueAt: now,
      firedAt: now,
      content: { text: o.text, hashtags: [], mediaIds: o.mediaIds ?? [], settings: o.settings ?? {} },
    },
    { workspaceId: o.workspaceId, correlationId: `corr-${o.jobId}`, subject: `dispatch.${o.platform}`, id: `${o.jobId}:${o.attempt ?? 1}` },
  );
}

/** Collects every event of the namespace from now on. */
export class EventLog {
  readonly events: Envelope[] = [];
  find(subject: string, jobId: string): Envelope | undefined {
    return this.events.find((e) => e.subject === subject && (e.data as { jobId?: string }).jobId === jobId);
  }
  data<T>(subject: string, jobId: string): T | undefined {
    return this.find(subject, jobId)?.data as T | undefined;
  }
}
