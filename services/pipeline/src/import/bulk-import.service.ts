import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@sx/bus';
import {
  MediaGet,
  MediaImportUrl,
  PublisherAccountsList,
  SchedulerSchedulePost,
  SchedulerValidatePost,
  type CommandContext,
  type CommandRequest,
  type CommandResponse,
  type PipelineBulkImport,
} from '@sx/contracts';
import { AppError, CLOCK, type Clock } from '@sx/service-kit';
import { callService, ServiceCallError } from '../media/bus-call';
import { validateRow, type ValidRow } from './import-row';
import { readSheet } from './sheet-reader';

type Request = CommandRequest<typeof PipelineBulkImport>;
type Report = CommandResponse<typeof PipelineBulkImport>;

/**
 * The seeds' spreadsheet import: every row validated (including that an account is connected for each
 * platform and that a named asset exists), a report per row, and — unless it is a dry run — every valid
 * row scheduled as a post. Invalid rows are reported and never stored.
 */
@Injectable()
export class BulkImportService {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(ctx: CommandContext, req: Request): Promise<Report> {
    const rows = await readSheet(req.format, Buffer.from(req.contentBase64, 'base64'));
    if (!rows.length) throw AppError.validation('The file has a header row but no data rows');
    const accounts = (await this.call(ctx, PublisherAccountsList, {})).items.filter((a) => a.status === 'active');
    const report: Report = { dryRun: req.dryRun, total: rows.length, valid: 0, invalid: 0, rows: [], imported: [] };
    const valid: { row: number; value: ValidRow }[] = [];
    for (const [i, raw] of rows.entries()) {
      const row = i + 2; // spreadsheet row number, after the header
      const checked = validateRow(raw, req.defaultZone, this.clock.nowMs());
      const errors = checked.ok ? await this.crossCheck(ctx, checked.value, accounts) : checked.errors;
      const value = checked.ok ? checked.value : null;
      report.rows.push({ row, ok: errors.length === 0, errors, post: value ? { text: value.text, platforms: value.platforms, at: value.at, zone: value.zone, media: value.media } : null });
      if (errors.length === 0 && value) valid.push({ row, value });
    }
    report.valid = valid.length;
    report.invalid = rows.length - valid.length;
    if (req.dryRun) return report;
    for (const { row, value } of valid) {
      const mediaIds = value.media ? [await this.assetIdFor(ctx, value.media)] : [];
      const targets = value.platforms.map((platform) => {
        const account = accounts.find((a) => a.platform === platform);
        return { accountId: (account as { id: string }).id, platform };
      });
      const scheduled = await this.call(ctx, SchedulerSchedulePost, {
        post: { title: value.title, text: value.text, hashtags: value.hashtags, mediaIds, overrides: {}, labels: ['bulk-import'], targets },
        when: { mode: 'at', at: value.at },
        zone: value.zone,
        catchUp: { mode: 'publish_late', maxLateMinutes: 60 },
      });
      report.imported.push({ row, postId: scheduled.postId });
    }
    return report;
  }

  private async crossCheck(ctx: CommandContext, row: ValidRow, accounts: { id: string; platform: string }[]): Promise<string[]> {
    const errors = row.platforms.filter((p) => !accounts.some((a) => a.platform === p)).map((p) => `platforms: no connected ${p} account`);
    if (row.media && !/^https?:\/\//i.test(row.media)) {
      try {
        await this.call(ctx, MediaGet, { assetId: row.media });
      } catch (e) {
        if (e instanceof AppError && e.status === 404) errors.push(`media: no asset with id ${row.media}`);
        else throw e;
      }
    }
    if (errors.length === 0) errors.push(...(await this.preflight(ctx, row, accounts)));
    return errors;
  }

  /** The scheduler's pre-flight check for the row as it would be scheduled (dry runs show the same errors). */
  private async preflight(ctx: CommandContext, row: ValidRow, accounts: { id: string; platform: string }[]): Promise<string[]> {
    const targets = row.platforms.map((platform) => ({ accountId: accounts.find((a) => a.platform === platform)?.id ?? '', platform }));
    // A media URL is only imported for a valid row; until then its kind is unknown, so the row is checked without it.
    const mediaIds = row.media && !/^https?:\/\//i.test(row.media) ? [row.media] : [];
    const result = await this.call(ctx, SchedulerValidatePost, {
      post: { title: row.title, text: row.text, hashtags: row.hashtags, mediaIds, overrides: {}, labels: [], targets },
      when: { mode: 'at', at: row.at },
      zone: row.zone,
    });
    return result.targets.flatMap((t) => t.violations.map((v) => `${t.platform ?? 'platform'}: ${v.rule}: ${v.message}`));
  }

  private async assetIdFor(ctx: CommandContext, media: string): Promise<string> {
    if (!/^https?:\/\//i.test(media)) return media;
    return (await this.call(ctx, MediaImportUrl, { url: media, tags: ['bulk-import'], platforms: [] })).asset.id;
  }

  /** Other services' coded errors pass through unchanged (status and code), so the caller sees them. */
  private async call<D extends Parameters<typeof callService>[2]>(ctx: CommandContext, def: D, req: CommandRequest<D>): Promise<CommandResponse<D>> {
    try {
      return await callService(this.bus, ctx, def, req);
    } catch (e) {
      if (e instanceof ServiceCallError) throw new AppError(e.error.code, e.error.message, e.error.status, e.error.details);
      throw e;
    }
  }
}
