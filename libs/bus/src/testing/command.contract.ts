import type { CommandContext } from '@sx/contracts';
import { AppError, currentCorrelationId } from '@sx/service-kit';
import type { EventBus, Subscription } from '../event-bus';
import { BusTestEcho } from './test-definitions';

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'user-1', role: 'editor', correlationId: 'corr-cmd' };

export function commandContract(getBus: () => EventBus): void {
  describe('request/reply', () => {
    let handler: Subscription;
    const hung: (() => void)[] = [];

    beforeAll(async () => {
      handler = await getBus().handle(BusTestEcho, async (req, c) => {
        switch (req.mode) {
          case 'app_error':
            throw new AppError('text_rejected', `cannot echo ${req.text}`, 409);
          case 'crash':
            throw new Error('database password=hunter2 leaked into an error');
          case 'hang':
            await new Promise<void>((resolve) => hung.push(resolve));
            return { ok: true, data: { text: 'late' } };
          case 'bad_reply':
            return { ok: true, data: { text: 42 as unknown as string } };
          default:
            return { ok: true, data: { text: req.text, correlationId: `${currentCorrelationId()}|${c.correlationId}` } };
        }
      });
    });

    afterAll(async () => {
      for (const release of hung) release();
      await handler.unsubscribe();
    });

    it('answers with the handler reply, run inside the caller correlation id', async () => {
      const reply = await getBus().request(BusTestEcho, { text: 'hello', mode: 'echo' }, ctx);
      expect(reply).toEqual({ ok: true, data: { text: 'hello', correlationId: 'corr-cmd|corr-cmd' } });
    });

    it('turns an AppError into its coded error reply', async () => {
      const reply = await getBus().request(BusTestEcho, { text: 'x', mode: 'app_error' }, ctx);
      expect(reply).toEqual({ ok: false, error: { code: 'text_rejected', status: 409, message: 'cannot echo x' } });
    });

    it('turns any other error into internal_error without leaking internals', async () => {
      const reply = await getBus().request(BusTestEcho, { text: 'x', mode: 'crash' }, ctx);
      expect(reply.ok).toBe(false);
      if (reply.ok) return;
      expect(reply.error).toMatchObject({ code: 'internal_error', status: 500 });
      expect(JSON.stringify(reply)).not.toContain('hunter2');
    });

    it('rejects a reply that breaks the response schema as internal_error', async () => {
      const reply = await getBus().request(BusTestEcho, { text: 'x', mode: 'bad_reply' }, ctx);
      expect(reply).toMatchObject({ ok: false, error: { code: 'internal_error', status: 500 } });
    });

    it('answers an invalid request with a coded 422 and never calls the handler', async () => {
      const reply = await getBus().request(BusTestEcho, { text: '' } as never, ctx);
      expect(reply).toMatchObject({ ok: false, error: { code: 'validation_failed', status: 422 } });
      const noCtx = await getBus().request(BusTestEcho, { text: 'a', mode: 'echo' }, { ...ctx, workspaceId: '' });
      expect(noCtx).toMatchObject({ ok: false, error: { code: 'validation_failed', status: 422 } });
    });

    it('answers 503 service_unavailable when the handler does not reply in time', async () => {
      const reply = await getBus().request(BusTestEcho, { text: 'x', mode: 'hang' }, ctx, { timeoutMs: 300 });
      expect(reply).toEqual({
        ok: false,
        error: { code: 'service_unavailable', status: 503, message: expect.stringContaining('bustest did not answer') },
      });
    });
  });

  it('answers 503 service_unavailable when no handler is registered', async () => {
    const reply = await getBus().request(BusTestEcho, { text: 'x', mode: 'echo' }, ctx, { timeoutMs: 300 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'service_unavailable', status: 503 } });
  });
}
