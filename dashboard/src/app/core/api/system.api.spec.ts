import { toHealthReport } from './system.api';

describe('health report', () => {
  it('flattens the gateway checks and distributed services into components', () => {
    const r = toHealthReport({
      status: 'degraded',
      checks: { postgres: { ok: true, component: 'scheduler' }, nats: { ok: false, detail: 'connection refused', component: 'nats' } },
      services: { media: { ok: false, detail: 'no responders' } },
    });
    expect(r.status).toBe('degraded');
    expect(r.components).toEqual([
      { name: 'scheduler: postgres', status: 'up', detail: null },
      { name: 'nats', status: 'down', detail: 'connection refused' },
      { name: 'service media', status: 'down', detail: 'no responders' },
    ]);
  });
});
