import ExcelJS from 'exceljs';
import { InProcessEventBus } from '@sx/bus';
import {
  MediaGet,
  MediaImportUrl,
  PublisherAccountsList,
  SchedulerSchedulePost,
  SchedulerValidatePost,
  type CommandContext,
  type CommandRequest,
} from '@sx/contracts';
import { AppError } from '@sx/service-kit';
import { FakeClock } from '@sx/testing';
import { BulkImportService } from './bulk-import.service';

const ctx: CommandContext = { workspaceId: 'ws1', actorId: 'u1', role: 'editor', correlationId: 'c1' };
const now = new Date('2026-03-01T10:00:00Z');

function account(id: string, platform: string) {
  return { id, pluginId: platform, platform, handle: `@${id}`, externalId: id, status: 'active' as const, settings: {}, createdAt: now.toISOString(), updatedAt: now.toISOString() };
}

describe('BulkImportService', () => {
  const bus = new InProcessEventBus();
  const scheduled: CommandRequest<typeof SchedulerSchedulePost>[] = [];
  const service = new BulkImportService(bus, new FakeClock(now));

  beforeAll(async () => {
    await bus.start();
    await bus.handle(PublisherAccountsList, async () => ({ ok: true, data: { items: [account('acc-bsky', 'bluesky'), account('acc-x', 'x')] } }));
    await bus.handle(MediaGet, async (r) =>
      r.assetId === 'asset-1'
        ? { ok: true, data: mediaAsset('asset-1') }
        : { ok: false, error: new AppError('not_found', `Asset ${r.assetId} was not found`, 404).toCommandError() },
    );
    await bus.handle(MediaImportUrl, async () => ({ ok: true, data: { asset: mediaAsset('asset-from-url'), duplicate: false } }));
    // The scheduler's pre-flight check: texts over 300 characters are too long for Bluesky.
    await bus.handle(SchedulerValidatePost, async (r) => {
      const targets = (r.post?.targets ?? []).map((t) => {
        const long = t.platform === 'bluesky' && (r.post?.text.length ?? 0) > 300;
        const violations = long ? [{ rule: 'text.max_length', message: 'text is 301 graphemes long; the limit is 300' }] : [];
        return { accountId: t.accountId, platform: t.platform, pluginId: t.platform, ok: !long, violations, caps: [] };
      });
      return { ok: true, data: { ok: targets.every((t) => t.ok), targets } };
    });
    await bus.handle(SchedulerSchedulePost, async (r) => {
      scheduled.push(r);
      return { ok: true, data: { postId: `post-${scheduled.length}`, scheduleId: 's', jobs: [] } };
    });
  });
  afterAll(() => bus.close());

  const csv = [
    'Text,Platforms,Time,Zone,Media,Hashtags',
    'First post,bluesky,2026-03-02 09:00,Europe/Berlin,asset-1,gaming',
    'Second,bluesky x,2026-03-03T12:00:00Z,,https://cdn.example.com/a.png,',
    'Third,mastodon,2026-03-04 09:00,UTC,asset-404,',
    ',x,yesterday,UTC,,',
  ].join('\n');

  it('reports every row on a dry run and stores nothing', async () => {
    const r = await service.run(ctx, { format: 'csv', contentBase64: Buffer.from(csv).toString('base64'), dryRun: true, defaultZone: 'UTC' });
    expect([r.total, r.valid, r.invalid]).toEqual([4, 2, 2]);
    expect(r.rows[0]).toMatchObject({ row: 2, ok: true, post: { at: '2026-03-02T08:00:00.000Z', zone: 'Europe/Berlin' } });
    expect(r.rows[2].errors).toEqual(['platforms: no connected mastodon account', 'media: no asset with id asset-404']);
    expect(r.rows[3].errors).toEqual(['text: a post needs text or media', 'time: "yesterday" is not a date and time (use 2026-12-24T18:00 or 2026-12-24 18:00)']);
    expect(scheduled).toHaveLength(0);
  });

  it('runs the pre-flight check per row: a row no target could publish is reported and not imported', async () => {
    const long = ['Text,Platforms,Time,Zone', `${'a'.repeat(301)},bluesky,2026-03-02 09:00,UTC`, 'fits,bluesky x,2026-03-02 10:00,UTC'].join('\n');
    const before = scheduled.length;
    const r = await service.run(ctx, { format: 'csv', contentBase64: Buffer.from(long).toString('base64'), dryRun: false, defaultZone: 'UTC' });
    expect(r.rows.map((x) => [x.row, x.ok, x.errors])).toEqual([
      [2, false, ['bluesky: text.max_length: text is 301 graphemes long; the limit is 300']],
      [3, true, []],
    ]);
    expect(scheduled.slice(before).map((x) => x.post?.text)).toEqual(['fits']);
    scheduled.splice(before);
  });

  it('imports the valid rows as scheduled posts, importing media URLs first', async () => {
    const r = await service.run(ctx, { format: 'csv', contentBase64: Buffer.from(csv).toString('base64'), dryRun: false, defaultZone: 'UTC' });
    expect(r.imported).toEqual([{ row: 2, postId: 'post-1' }, { row: 3, postId: 'post-2' }]);
    expect(scheduled[0]).toMatchObject({ when: { mode: 'at', at: '2026-03-02T08:00:00.000Z' }, zone: 'Europe/Berlin', post: { mediaIds: ['asset-1'], hashtags: ['#gaming'], targets: [{ accountId: 'acc-bsky', platform: 'bluesky' }] } });
    expect(scheduled[1].post?.mediaIds).toEqual(['asset-from-url']);
    expect(scheduled[1].post?.targets.map((t) => t.accountId)).toEqual(['acc-bsky', 'acc-x']);
  });

  it('reads XLSX the same way', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('posts');
    sheet.addRow(['text', 'platforms', 'time', 'zone']);
    sheet.addRow(['From a spreadsheet', 'x', '2026-03-05 18:00', 'Asia/Kolkata']);
    const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const r = await service.run(ctx, { format: 'xlsx', contentBase64: content, dryRun: true, defaultZone: 'UTC' });
    expect(r.rows).toEqual([{ row: 2, ok: true, errors: [], post: { text: 'From a spreadsheet', platforms: ['x'], at: '2026-03-05T12:30:00.000Z', zone: 'Asia/Kolkata', media: null } }]);
  });

  it('gives a coded error for an unreadable file', async () => {
    await expect(service.run(ctx, { format: 'xlsx', contentBase64: Buffer.from('not a zip').toString('base64'), dryRun: true, defaultZone: 'UTC' })).rejects.toMatchObject({
      code: 'import_unreadable',
      status: 422,
    });
  });
});

function mediaAsset(id: string) {
  return {
    id, filename: `${id}.png`, mime: 'image/png', kind: 'image' as const, bytes: 10, sha256: null, status: 'ready' as const,
    statusCode: null, statusDetail: null, source: 'upload' as const, metadata: {}, tags: [], platforms: [],
    createdAt: now.toISOString(), updatedAt: now.toISOString(), deletedAt: null, urls: { content: null, thumbnail: null },
  };
}
