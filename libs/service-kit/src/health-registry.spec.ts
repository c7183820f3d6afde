import { HealthRegistry } from './health-registry';

describe('HealthRegistry', () => {
  it('is ready only when every check passes, and reports each one', async () => {
    const r = new HealthRegistry();
    r.register('database', 'scheduler', async () => ({ ok: true }));
    r.register('bus', 'scheduler', async () => ({ ok: false, detail: 'connection refused' }));
    const report = await r.report();
    expect(report.ok).toBe(false);
    expect(report.checks['database']).toEqual({ ok: true, component: 'scheduler' });
    expect(report.checks['bus'].detail).toBe('connection refused');
  });

  it('turns a hanging or throwing check into a failed one', async () => {
    const r = new HealthRegistry();
    r.register('hang', 'x', () => new Promise(() => undefined));
    r.register('throw', 'x', async () => {
      throw new Error('boom');
    });
    const report = await r.report(50);
    expect(report.ok).toBe(false);
    expect(report.checks['hang'].detail).toMatch(/timed out/);
    expect(report.checks['throw'].detail).toBe('boom');
  });
});
