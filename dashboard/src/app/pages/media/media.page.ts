import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MediaApi, MediaAsset, MediaFilter, assetThumb } from '../../core/api/media.api';
import { PipelineApi } from '../../core/api/pipeline.api';
import { AuthStore } from '../../core/auth/auth.store';
import { EventStream } from '../../core/events/event-stream.service';
import { Loadable } from '../../core/util/loadable';
import { Notify } from '../../core/util/notify.service';
import { PreferencesService } from '../../core/util/preferences.service';
import { AuthImgComponent } from '../../shared/auth-img/auth-img.component';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { openComposer } from '../composer/open-composer';
import { MediaPreviewDialog } from './media-preview.dialog';
import { UploadZoneComponent } from './upload-zone.component';

/** Seed 000's media library: grid and table, filters, drag-and-drop upload, preview. */
@Component({
  selector: 'sx-media-page',
  imports: [
    FormsModule, MatButtonModule, MatButtonToggleModule, MatCardModule, MatCheckboxModule, MatFormFieldModule,
    MatIconModule, MatInputModule, MatSelectModule, MatTableModule, AuthImgComponent, LoadStateComponent, UploadZoneComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './media.page.html',
  styleUrl: './media.page.scss',
})
export class MediaPage implements OnInit {
  private readonly api = inject(MediaApi);
  private readonly pipeline = inject(PipelineApi);
  private readonly dialog = inject(MatDialog);
  private readonly notify = inject(Notify);
  protected readonly auth = inject(AuthStore);
  protected readonly prefs = inject(PreferencesService);
  protected readonly thumb = (m: MediaAsset) => (m.kind === 'image' || m.kind === 'video' ? assetThumb(m) : null);

  protected readonly filter = signal<MediaFilter>({ kind: '', platform: '', q: '', from: '', to: '', status: '' });
  protected readonly selected = signal<string[]>([]);
  protected readonly cursor = signal<string | null>(null);
  protected readonly list = new Loadable(async () => {
    const page = await this.api.list({ ...this.filter(), limit: 60 });
    this.cursor.set(page.nextCursor);
    return page.items;
  });
  protected readonly columns = ['select', 'name', 'kind', 'size', 'status', 'created'];

  constructor() {
    const sub = inject(EventStream)
      .on('media.')
      .subscribe((e) => {
        const id = e.data['assetId'];
        if (e.subject === 'media.deleted' && typeof id === 'string') this.list.update((l) => l.filter((m) => m.id !== id));
        else void this.list.load();
      });
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
  }

  ngOnInit(): void {
    void this.list.load();
  }

  protected patchFilter(p: Partial<MediaFilter>): void {
    this.filter.update((f) => ({ ...f, ...p }));
    void this.list.load();
  }

  protected async more(): Promise<void> {
    const cursor = this.cursor();
    if (!cursor) return;
    try {
      const page = await this.api.list({ ...this.filter(), limit: 60, cursor });
      this.cursor.set(page.nextCursor);
      this.list.update((l) => [...l, ...page.items]);
    } catch (err) {
      this.notify.error(err);
    }
  }

  protected isSelected(id: string): boolean {
    return this.selected().includes(id);
  }

  protected toggle(id: string, on: boolean): void {
    this.selected.update((s) => (on ? [...new Set([...s, id])] : s.filter((x) => x !== id)));
  }

  protected preview(asset: MediaAsset): void {
    this.dialog.open(MediaPreviewDialog, { data: asset, width: 'min(900px, 96vw)' });
  }

  protected async schedule(): Promise<void> {
    const created = await openComposer(this.dialog, { mediaIds: this.selected() });
    if (created) this.selected.set([]);
  }

  protected async runPipeline(): Promise<void> {
    try {
      const res = await this.pipeline.run(this.selected());
      this.notify.ok(`Pipeline started for ${this.selected().length} file(s) (${res.runIds.length} run(s))`);
    } catch (err) {
      this.notify.error(err);
    }
  }

  protected async remove(asset: MediaAsset): Promise<void> {
    const ok = await confirmAction(this.dialog, {
      title: `Delete ${asset.filename}?`,
      message: 'The file moves to the trash; scheduled posts that use it will fail validation.',
      confirm: 'Delete',
      danger: true,
    });
    if (!ok) return;
    try {
      await this.api.remove(asset.id);
      this.list.update((l) => l.filter((m) => m.id !== asset.id));
      this.notify.ok('Deleted');
    } catch (err) {
      this.notify.error(err);
    }
  }

  protected mb(bytes: number): string {
    return `${(bytes / 1048576).toFixed(1)} MB`;
  }
}
