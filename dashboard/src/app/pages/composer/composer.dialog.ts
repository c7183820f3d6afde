import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { AiTemplatesApi } from '../../core/api/ai-templates.api';
import { toApiError } from '../../core/api/api-error';
import { MediaApi, MediaAsset, assetThumb } from '../../core/api/media.api';
import { Account, PluginManifest, PluginsApi } from '../../core/api/plugins.api';
import { PostsApi, PreflightRequest, PreflightResult, ScheduledPost } from '../../core/api/posts.api';
import { Recurrence } from '../../core/api/recurrence';
import { CLOCK } from '../../core/util/clock';
import { Notify } from '../../core/util/notify.service';
import { PreferencesService } from '../../core/util/preferences.service';
import { previewRuns } from '../../core/util/recurrence-preview';
import { parseHashtags } from '../../core/util/text-count';
import { formatInZone, utcToZoned, zonedToUtc } from '../../core/util/time';
import { RecurrenceEditorComponent } from '../../shared/recurrence-editor/recurrence-editor.component';
import { AuthImgComponent } from '../../shared/auth-img/auth-img.component';
import { ZonePickerComponent } from '../../shared/zone-picker/zone-picker.component';
import { checkPlatform } from './platform-check';
import { PreflightPanelComponent } from './preflight-panel.component';
import { COMPOSER_TITLES, ComposerMode, SUBMIT_LABELS, prefillFrom, savePost } from './post-editor';
import { templateVariables } from './template-variables';

export interface ComposerData {
  mediaIds?: string[];
  /** Pre-set instant (e.g. a calendar slot). */
  dueAt?: string;
  /** The post to edit, or (mode `again`) to post again as a new post. */
  post?: ScheduledPost;
  mode?: ComposerMode;
}

const HOUR = 3_600_000;

/** Seed 001's add-post modal, grown up: media, text, accounts, time + zone, recurrence, live per-platform checks. */
@Component({
  selector: 'sx-composer-dialog',
  imports: [
    FormsModule, MatDialogModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatIconModule, MatInputModule,
    MatProgressBarModule, MatTabsModule, RecurrenceEditorComponent, ZonePickerComponent, AuthImgComponent,
    PreflightPanelComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './composer.dialog.html',
  styleUrl: './composer.dialog.scss',
})
export class ComposerDialog implements OnInit {
  private readonly data = inject<ComposerData>(MAT_DIALOG_DATA, { optional: true }) ?? {};
  private readonly ref = inject<MatDialogRef<ComposerDialog, ScheduledPost>>(MatDialogRef);
  private readonly postsApi = inject(PostsApi);
  private readonly pluginsApi = inject(PluginsApi);
  private readonly mediaApi = inject(MediaApi);
  private readonly aiApi = inject(AiTemplatesApi);
  private readonly notify = inject(Notify);
  private readonly clock = inject(CLOCK);

  protected readonly mode: ComposerMode = this.data.post ? (this.data.mode ?? 'edit') : 'create';
  protected readonly heading = COMPOSER_TITLES[this.mode];
  protected readonly submitLabel = SUBMIT_LABELS[this.mode];
  protected readonly loading = signal(true);
  protected readonly busy = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly submitError = signal<string | null>(null);
  protected readonly accounts = signal<Account[]>([]);
  protected readonly manifests = signal<PluginManifest[]>([]);
  protected readonly library = signal<MediaAsset[]>([]);

  protected readonly mediaIds = signal<string[]>(this.data.mediaIds ?? []);
  protected readonly title = signal('');
  protected readonly caption = signal('');
  protected readonly hashtagInput = signal('');
  protected readonly overrides = signal<Record<string, string>>({});
  protected readonly accountIds = signal<string[]>([]);
  protected readonly zone = signal(inject(PreferencesService).prefs().zone);
  protected readonly date = signal('');
  protected readonly time = signal('');
  protected readonly recurrence = signal<Recurrence>({ type: 'once' });
  protected readonly generatedBy = signal('');

  private timeTouched = false;
  protected readonly thumb = assetThumb;
  protected readonly hashtags = computed(() => parseHashtags(this.hashtagInput()));
  protected readonly dueAt = computed(() => zonedToUtc(this.date(), this.time(), this.zone()));
  /** The first publish: the start time for a one-off, the recurrence's first run at or after it otherwise. */
  protected readonly firstRun = computed(() => {
    const start = this.dueAt();
    const rule = this.recurrence();
    if (!start || rule.type === 'once') return start;
    const p = previewRuns(rule, this.zone(), Math.max(this.clock.now(), Date.parse(start) - 1), 1, start);
    return p.ok ? (p.runs[0] ?? null) : null;
  });
  protected readonly dueText = computed(() => formatInZone(this.firstRun(), this.zone()));
  protected readonly selectedMedia = computed(() => this.library().filter((m) => this.mediaIds().includes(m.id)));
  protected readonly selectedPlugins = computed(() => {
    const ids = new Set(this.accounts().filter((a) => this.accountIds().includes(a.id)).map((a) => a.pluginId));
    return this.manifests().filter((m) => ids.has(m.id));
  });
  protected readonly checks = computed(() =>
    this.selectedPlugins().map((m) =>
      checkPlatform(m, this.overrides()[m.platform] ?? this.caption(), this.hashtags(), this.selectedMedia()),
    ),
  );
  /** What the server checks before scheduling (null until there is an account and something to post). */
  protected readonly preflightRequest = computed<PreflightRequest | null>(() => {
    if (!this.accountIds().length || (!this.caption().trim() && !this.mediaIds().length)) return null;
    const at = this.firstRun();
    return {
      post: {
        title: this.title().trim() || undefined,
        text: this.caption().trim(),
        hashtags: this.hashtags(),
        mediaIds: this.mediaIds(),
        overrides: Object.fromEntries(Object.entries(this.overrides()).map(([k, text]) => [k, { text }])),
        targets: this.selectedTargets(),
      },
      ...(at ? { when: { mode: 'at' as const, at } } : {}),
      zone: this.zone(),
    };
  });
  protected readonly preflight = signal<PreflightResult | null>(null);
  protected readonly accountName = (id: string, platform: string | null): string => {
    const a = this.accounts().find((x) => x.id === id);
    return a ? `${a.displayName} (${a.platform})` : (platform ?? id);
  };
  protected readonly errors = computed(() => {
    const out: string[] = [];
    if (this.preflight()?.ok === false) out.push('The server would refuse this post for some accounts: see “Server check”');
    if (!this.accountIds().length) out.push('Choose at least one account');
    if (!this.caption().trim() && !this.mediaIds().length) out.push('Write a caption or pick media');
    const due = this.dueAt();
    if (!due) out.push('Enter a valid date and time');
    else if (this.recurrence().type === 'once' && Date.parse(due) <= this.clock.now()) out.push('The time is in the past');
    for (const c of this.checks()) for (const p of c.problems) out.push(`${c.name}: ${p}`);
    return out;
  });

  async ngOnInit(): Promise<void> {
    try {
      const [accounts, manifests, media] = await Promise.all([
        this.pluginsApi.accounts(),
        this.pluginsApi.plugins(),
        this.mediaApi.list({ status: 'ready', limit: 60 }),
      ]);
      this.accounts.set(accounts.filter((a) => a.status === 'connected'));
      this.manifests.set(manifests);
      this.library.set(media.items);
      if (this.data.post) await this.prefill(this.data.post);
    } catch (err) {
      this.loadError.set(toApiError(err).message);
    } finally {
      this.loading.set(false);
    }
    await this.defaultTime();
  }

  protected toggle(list: 'mediaIds' | 'accountIds', id: string, on: boolean): void {
    this[list].update((ids) => (on ? [...new Set([...ids, id])] : ids.filter((x) => x !== id)));
    if (list === 'accountIds' && this.data.dueAt === undefined && !this.timeTouched) void this.defaultTime();
  }

  protected setOverride(pluginId: string, text: string): void {
    this.overrides.update((o) => ({ ...o, [pluginId]: text }));
  }

  /** Once the user picks a time, changing accounts no longer moves it to the next free slot. */
  protected setWhen(field: 'date' | 'time', value: string): void {
    this.timeTouched = true;
    this[field].set(value);
  }

  protected overrideOf(pluginId: string): string {
    return this.overrides()[pluginId] ?? '';
  }

  protected clearOverride(pluginId: string): void {
    this.overrides.update((o) => {
      const { [pluginId]: _drop, ...rest } = o;
      return rest;
    });
  }

  protected async generate(): Promise<void> {
    const media = this.selectedMedia()[0];
    this.busy.set(true);
    try {
      const active = await this.aiApi.active();
      const res = await this.aiApi.test({
        templateId: active.id,
        filename: media?.filename ?? (this.title() || 'post'),
        gameContext: 'gaming',
        variables: templateVariables(media, this.title(), this.selectedPlugins()[0]?.platform),
      });
      this.title.set(res.title);
      this.caption.set(res.caption);
      this.hashtagInput.set(res.hashtags.join(' '));
      this.generatedBy.set(res.offline ? `Written from “${active.name}” by the built-in generator (no AI provider configured)` : `Written from “${active.name}”`);
    } catch (err) {
      this.notify.error(err);
    } finally {
      this.busy.set(false);
    }
  }

  protected async submit(): Promise<void> {
    const dueAt = this.dueAt();
    if (this.errors().length || !dueAt) return;
    this.busy.set(true);
    this.submitError.set(null);
    try {
      const created = await savePost(this.postsApi, this.mode, this.data.post, {
        title: this.title().trim() || undefined,
        text: this.caption().trim(),
        hashtags: this.hashtags(),
        mediaIds: this.mediaIds(),
        targets: this.selectedTargets(),
        dueAt,
        zone: this.zone(),
        recurrence: this.recurrence().type === 'once' ? null : this.recurrence(),
        overrides: Object.fromEntries(Object.entries(this.overrides()).map(([k, text]) => [k, { text }])),
      });
      const what = this.mode === 'edit' ? 'Saved; posts' : 'Scheduled for';
      this.notify.ok(this.recurrence().type === 'once' ? `${what} ${this.dueText()}` : `Repeats; first post ${this.dueText()}`);
      this.ref.close(created);
    } catch (err) {
      this.submitError.set(toApiError(err).message);
    } finally {
      this.busy.set(false);
    }
  }

  private selectedTargets(): { accountId: string; platform: string }[] {
    return this.accounts()
      .filter((a) => this.accountIds().includes(a.id))
      .map((a) => ({ accountId: a.id, platform: a.platform }));
  }

  /** Opening on an existing post: its content, media (fetched when not in the first library page) and accounts. */
  private async prefill(post: ScheduledPost): Promise<void> {
    const f = prefillFrom(post, this.mode);
    this.title.set(f.title);
    this.caption.set(f.caption);
    this.hashtagInput.set(f.hashtags);
    this.mediaIds.set(f.mediaIds);
    this.accountIds.set(f.accountIds.filter((id) => this.accounts().some((a) => a.id === id)));
    this.overrides.set(f.overrides);
    this.zone.set(f.zone);
    if (f.dueAt && Date.parse(f.dueAt) > this.clock.now()) {
      this.timeTouched = true;
      const local = utcToZoned(f.dueAt, f.zone);
      this.date.set(local.date);
      this.time.set(local.time);
    }
    const missing = f.mediaIds.filter((id) => !this.library().some((m) => m.id === id));
    const found = await Promise.all(missing.map((id) => this.mediaApi.get(id).catch(() => null)));
    this.library.update((lib) => [...found.filter((m): m is MediaAsset => !!m), ...lib]);
  }

  /** Next free slot from the scheduler; if it cannot answer, the next full hour. */
  private async defaultTime(): Promise<void> {
    let at = this.data.dueAt;
    if (!at) {
      try {
        at = (await this.postsApi.nextSlot(this.accountIds())) ?? undefined;
      } catch {
        at = undefined;
      }
      at ??= new Date(Math.ceil((this.clock.now() + 1) / HOUR) * HOUR).toISOString();
    }
    // The user picked a time while the slot lookup ran: theirs wins.
    if (this.timeTouched) return;
    const local = utcToZoned(at, this.zone());
    this.date.set(local.date);
    this.time.set(local.time);
  }
}
