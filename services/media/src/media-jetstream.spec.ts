import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { JetStreamEventBus } from '@sx/bus';
import { MediaGet, MediaReady, type Envelope } from '@sx/contracts';
import { createMediaTestApp, type MediaTestApp } from './test-support/media-app';
import { makePng } from './test-support/media-fixtures';

const NATS_URL = 'nats://127.0.0.1:4222';

describe('media service on the distributed bus (real NATS JetStream)', () => {
  const namespace = `t${randomBytes(4).toString('hex')}_`;
  const bus = new JetStreamEventBus({
    servers: NATS_URL,
    namespace,
    replicas: 1,
    duplicateWindowMs: 120_000,
    maxDeliver: 3,
    requestTimeoutMs: 5_000,
  });
  let t: MediaTestApp;

  beforeAll(async () => {
    t = await createMediaTestApp({}, undefined, bus);
  });
  afterAll(async () => {
    await bus.destroyNamespace().catch(() => undefined);
    await t?.close();
  });

  it('publishes media.ready from the outbox to a durable consumer and answers commands over NATS', async () => {
    const received: Envelope[] = [];
    let resolveReady: () => void = () => undefined;
    const ready = new Promise<void>((r) => (resolveReady = r));
    await bus.subscribe(
      MediaReady,
      async (d) => {
        received.push(d.envelope);
        resolveReady();
      },
      { durable: 'media-spec' },
    );

    const up = await request(t.app.getHttpServer())
      .post('/media/uploads?filename=js.png')
      .set(t.headers('ws-js'))
      .set('content-type', 'image/png')
      .send(await makePng(16, 16));
    expect(up.status).toBe(201);
    await ready;
    expect(received[0]).toMatchObject({ subject: 'media.ready', workspaceId: 'ws-js', data: { assetId: up.body.asset.id, source: 'upload' } });

    const got = await bus.request(MediaGet, { assetId: up.body.asset.id }, t.ctx('ws-js'));
    expect(got).toMatchObject({ ok: true, data: { id: up.body.asset.id, status: 'ready' } });
  });
});
