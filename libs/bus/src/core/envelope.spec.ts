import { systemClock } from '@sx/service-kit';
import { BusTestDispatch, BusTestEvent } from '../testing/test-definitions';
import { buildEnvelope, checkIncoming, patternsOverlap, resolveSubscription } from './envelope';

describe('envelope helpers', () => {
  it('detects overlapping NATS patterns', () => {
    expect(patternsOverlap('dispatch.*', 'dispatch.bluesky')).toBe(true);
    expect(patternsOverlap('dispatch.>', 'dispatch.a.b')).toBe(true);
    expect(patternsOverlap('dispatch.x', 'dispatch.y')).toBe(false);
    expect(patternsOverlap('dispatch.*', 'dispatch.a.b')).toBe(false);
    expect(patternsOverlap('dispatch.>', 'dispatch')).toBe(false);
  });

  it('fills the concrete subject and refuses one outside the pattern', () => {
    const meta = { workspaceId: 'w', correlationId: 'c', subject: 'dispatch.mastodon' };
    expect(buildEnvelope(BusTestDispatch, { jobId: 'j' }, meta, systemClock)).toMatchObject({ subject: 'dispatch.mastodon', version: 1 });
    expect(() => buildEnvelope(BusTestDispatch, { jobId: 'j' }, { ...meta, subject: 'post.published' }, systemClock)).toThrow(/does not match/);
  });

  it('checks a subscription subject against the event stream', () => {
    expect(resolveSubscription(BusTestEvent, 'd', undefined)).toBe('audit.bustest.*');
    expect(() => resolveSubscription(BusTestEvent, 'd', 'audit.>.x')).toThrow(/not a valid subject pattern/);
    expect(() => resolveSubscription(BusTestEvent, 'd', 'dispatch.x')).toThrow(/not stored in stream AUDIT/);
  });

  it('reports why a received message is rejected', () => {
    const env = buildEnvelope(BusTestEvent, { n: 1 }, { workspaceId: 'w', correlationId: 'c', subject: 'audit.bustest.x' }, systemClock);
    expect(checkIncoming(BusTestEvent, 'not json')).toMatchObject({ ok: false, reason: expect.stringContaining('invalid_envelope') });
    expect(checkIncoming(BusTestEvent, { ...env, version: 2 })).toMatchObject({ ok: false, reason: expect.stringContaining('unsupported_version') });
    expect(checkIncoming(BusTestEvent, { ...env, data: { n: 'x' } })).toMatchObject({ ok: false, reason: expect.stringContaining('invalid_payload') });
    expect(checkIncoming(BusTestEvent, env)).toMatchObject({ ok: true, envelope: { data: { n: 1 } } });
  });
});
