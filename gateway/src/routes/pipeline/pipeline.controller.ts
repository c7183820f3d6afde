import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PipelineBulkImport, PipelineGetRun, PipelineList, PipelineListRuns, PipelineRetryStage, PipelineRun } from '@sx/contracts';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import type { Principal } from '../../auth/principal';
import { MinRole } from '../../auth/roles.decorator';
import { CommandProxy } from '../../proxy/command-proxy.service';

/** The seeds' pipeline runner: start runs, watch their stages, retry, and import spreadsheets of posts. */
@ApiTags('pipeline')
@Controller()
export class PipelineController {
  constructor(private readonly proxy: CommandProxy) {}

  @Post('run-pipeline')
  @MinRole('editor')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a pipeline (or one of its stages) for one asset or a selection' })
  run(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(PipelineRun, p, body);
  }

  @Get('pipeline/definitions')
  @ApiOperation({ summary: 'Configured pipelines and their stages' })
  definitions(@CurrentPrincipal() p: Principal) {
    return this.proxy.call(PipelineList, p, {});
  }

  @Get('pipeline/runs')
  @ApiOperation({ summary: 'Runs, newest first, with per-stage status (keyset pagination)' })
  list(@CurrentPrincipal() p: Principal, @Query() q: Record<string, string | undefined>) {
    return this.proxy.call(PipelineListRuns, p, {
      limit: q['limit'] === undefined ? undefined : Number(q['limit']),
      cursor: q['cursor'],
      status: q['status'],
      assetId: q['assetId'],
    });
  }

  @Get('pipeline/runs/:id')
  @ApiOperation({ summary: 'One run with its stages, attempts, log excerpts and errors' })
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.proxy.call(PipelineGetRun, p, { id });
  }

  @Post('pipeline/runs/:id/retry')
  @MinRole('editor')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a finished run again from a stage (default: its first unfinished stage)' })
  retry(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown) {
    const stage = typeof body === 'object' && body !== null ? (body as { stage?: unknown }).stage : undefined;
    return this.proxy.call(PipelineRetryStage, p, { id, stage });
  }

  @Post('pipeline/import')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bulk import posts from CSV or XLSX (base64); dryRun (default) only reports' })
  import(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.proxy.call(PipelineBulkImport, p, body, { timeoutMs: 120_000 });
  }
}
