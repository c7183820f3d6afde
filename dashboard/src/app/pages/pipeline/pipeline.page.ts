import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MediaApi } from '../../core/api/media.api';
import { PipelineApi, PipelineRun } from '../../core/api/pipeline.api';
import { AuthStore } from '../../core/auth/auth.store';
import { EventStream } from '../../core/events/event-stream.service';
import { Loadable } from '../../core/util/loadable';
import { Notify } from '../../core/util/notify.service';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { applyPipelineEvent } from './pipeline-events';

const ICON: Record<string, string> = {
  pending: 'radio_button_unchecked', running: 'autorenew', succeeded: 'check_circle', failed: 'error',
  skipped: 'skip_next', queued: 'hourglass_empty', cancelled: 'block',
};

/** Pipeline runs with per-stage status kept live over SSE, logs, stage retry, and a manual run. */
@Component({
  selector: 'sx-pipeline-page',
  imports: [MatButtonModule, MatExpansionModule, MatIconModule, MatProgressSpinnerModule, LoadStateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './pipeline.page.html',
  styles: `
    .sx-stages { display: flex; gap: 8px; flex-wrap: wrap; list-style: none; padding: 0; }
    .sx-stages li { display: flex; align-items: center; gap: 4px; padding: 4px 8px; border-radius: 8px; background: var(--mat-sys-surface-container); }
    .sx-s-failed { color: var(--mat-sys-error); } .sx-s-succeeded { color: var(--sx-ok-text); }
    pre { max-height: 300px; overflow: auto; background: var(--mat-sys-surface-container-low); padding: 8px; border-radius: 8px; font-size: 12px; }
  `,
})
export class PipelinePage implements OnInit {
  private readonly api = inject(PipelineApi);
  private readonly notify = inject(Notify);
  private readonly media = inject(MediaApi);
  protected readonly auth = inject(AuthStore);
  protected readonly icon = ICON;
  protected readonly runs = new Loadable(async () => (await this.api.runs()).items);
  protected readonly busy = signal(false);

  constructor() {
    const sub = inject(EventStream)
      .on('pipeline.')
      .subscribe((e) => {
        if (this.runs.value()) this.runs.update((r) => applyPipelineEvent(r, e));
      });
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
  }

  ngOnInit(): void {
    void this.runs.load();
  }

  protected async runAll(): Promise<void> {
    this.busy.set(true);
    try {
      const res = await runForLibrary(this.media, this.api);
      this.notify.ok(res === null ? 'No media to process' : `Started ${res.runIds.length} run(s)`);
    } catch (err) {
      this.notify.error(err);
    } finally {
      this.busy.set(false);
    }
  }

  protected async retry(run: PipelineRun, stage: string): Promise<void> {
    try {
      const updated = await this.api.retryStage(run.runId, stage);
      this.runs.update((l) => l.map((r) => (r.runId === run.runId ? updated : r)));
      this.notify.ok(`Retrying ${stage}`);
    } catch (err) {
      this.notify.error(err);
    }
  }

  /** Refresh one run when its panel opens (logs grow while it runs). */
  protected async refresh(runId: string): Promise<void> {
    try {
      const run = await this.api.get(runId);
      this.runs.update((l) => l.map((r) => (r.runId === runId ? run : r)));
    } catch (err) {
      this.notify.error(err);
    }
  }

  protected logText(run: PipelineRun): string {
    return run.stages.map((s) => (s.log ? `[${s.stage}]\n${s.log}` : '')).filter(Boolean).join('\n') || '(no log lines yet)';
  }
}

/** The top bar's "Run pipeline": the default pipeline over the newest library items (up to 200). */
export async function runForLibrary(media: MediaApi, pipeline: PipelineApi): Promise<{ runIds: string[] } | null> {
  const page = await media.list({ limit: 200 });
  const ids = page.items.filter((a) => a.status !== 'rejected').map((a) => a.id);
  return ids.length ? pipeline.run(ids) : null;
}
