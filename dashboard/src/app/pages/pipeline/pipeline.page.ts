import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatDialog } from '@angular/material/dialog';
import { MediaApi } from '../../core/api/media.api';
import { PipelineApi, PipelineRun } from '../../core/api/pipeline.api';
import { AuthStore } from '../../core/auth/auth.store';
import { EventStream } from '../../core/events/event-stream.service';
import { Loadable } from '../../core/util/loadable';
import { Notify } from '../../core/util/notify.service';
import { PreferencesService } from '../../core/util/preferences.service';
import { formatInZone } from '../../core/util/time';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
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
.sx-file { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    pre { max-height: 300px; overflow: auto; background: var(--mat-sys-surface-container-low); padding: 8px; border-radius: 8px; font-size: 12px; }
  `,
})
export class PipelinePage implements OnInit {
  private readonly api = inject(PipelineApi);
  private readonly notify = inject(Notify);
  private readonly media = inject(MediaApi);
  private readonly dialog = inject(MatDialog);
  private readonly prefs = inject(PreferencesService);
  /** File names of the runs' assets, so each run says what it worked on. */
  protected readonly names = signal<Record<string, string>>({});
  protected readonly zone = () => this.prefs.prefs().zone;
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
    void this.runs.load().then(() => this.loadNames());
  }

  protected fileOf(r: PipelineRun): string {
    if (!r.assetId) return r.pipeline;
    return this.names()[r.assetId] ?? 'a file no longer in the library';
  }

  protected when(iso: string): string {
    return formatInZone(iso, this.prefs.prefs().zone, 'd LLL, HH:mm');
  }

  private async loadNames(): Promise<void> {
    try {
      const page = await this.media.list({ limit: 200, deleted: 'include' });
      this.names.set(Object.fromEntries(page.items.map((a) => [a.id, a.filename])));
    } catch {
      // Runs still show their pipeline and time without names.
    }
  }

  protected async runAll(): Promise<void> {
    this.busy.set(true);
    try {
      const res = await runForLibrary(this.media, this.api, confirmPipelineRun(this.dialog));
      if (res) this.notify.ok(`Started ${res.runIds.length} run${res.runIds.length === 1 ? '' : 's'}`);
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

/**
 * "Run pipeline" over the library: names how many files (and the first few) and asks before it
 * starts, because every file gets renditions, a thumbnail and AI captions. null when nothing to do
 * or the person said no.
 */
export async function runForLibrary(
  media: MediaApi,
  pipeline: PipelineApi,
  confirm: (count: number, names: string[]) => Promise<boolean>,
): Promise<{ runIds: string[] } | null> {
  const page = await media.list({ limit: 200 });
  const files = page.items.filter((a) => a.status !== 'rejected');
  if (!files.length || !(await confirm(files.length, files.slice(0, 5).map((f) => f.filename)))) return null;
  return pipeline.run(files.map((a) => a.id));
}

export function confirmPipelineRun(dialog: MatDialog): (count: number, names: string[]) => Promise<boolean> {
  return (count, names) =>
    confirmAction(dialog, {
      title: `Run the pipeline on ${count} file${count === 1 ? '' : 's'}?`,
      message: `Each file gets platform versions, a thumbnail and AI-written captions: ${names.join(', ')}${count > names.length ? ` and ${count - names.length} more` : ''}. This can take a while for videos.`,
      confirm: `Run on ${count} file${count === 1 ? '' : 's'}`,
    });
}
