import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatListModule } from '@angular/material/list';
import { AiTemplate, AiTemplatesApi, TEMPLATE_VARIABLES } from '../../core/api/ai-templates.api';
import { AuthStore } from '../../core/auth/auth.store';
import { Loadable } from '../../core/util/loadable';
import { Notify } from '../../core/util/notify.service';
import { confirmAction } from '../../shared/confirm-dialog/confirm-dialog.component';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { TestPromptDialog, TestPromptData } from './test-prompt.dialog';

/** Seed 001's default prompt, offered for a new template. */
export const DEFAULT_PROMPT = `You are a social media expert creating engaging content for gaming videos.

Given a video filename: {filename}
Game context: {game_context}

Generate:
1. An exciting, click-worthy title (max 100 chars)
2. An engaging caption with emojis (max 2200 chars)
3. 10-15 relevant hashtags

Format as JSON:
{
  "title": "...",
  "caption": "...",
  "hashtags": "#gaming #..."
}`;

/** Seed 001's two-column AI config page: template list (40%) and editor (60%). */
@Component({
  selector: 'sx-ai-templates-page',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatListModule, LoadStateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './ai-templates.page.html',
  styles: `
    .sx-two { display: grid; grid-template-columns: 2fr 3fr; gap: 16px; }
    @media (max-width: 900px) { .sx-two { grid-template-columns: 1fr; } }
    .sx-list { border: 1px solid var(--mat-sys-outline-variant); border-radius: 12px; padding: 8px; }
    .sx-editor { display: grid; gap: 8px; align-content: start; }
    .sx-active { color: var(--sx-ok-text, #137333); }
    .sx-vars ul { margin: 4px 0 0; padding-left: 18px; columns: 2 220px; font-size: 13px; }
    .sx-vars code { font-size: 12px; }
    textarea { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; }
    .sx-actions { display: flex; gap: 8px; flex-wrap: wrap; }
  `,
})
export class AiTemplatesPage implements OnInit {
  private readonly api = inject(AiTemplatesApi);
  private readonly dialog = inject(MatDialog);
  private readonly notify = inject(Notify);
  protected readonly auth = inject(AuthStore);
  protected readonly variables = TEMPLATE_VARIABLES;
  protected readonly list = new Loadable(() => this.api.list());
  protected readonly selectedId = signal<string | null>(null);
  protected readonly name = signal('');
  protected readonly prompt = signal('');
  protected readonly busy = signal(false);
  protected readonly selected = computed(() => this.list.value()?.find((t) => t.id === this.selectedId()) ?? null);
  protected readonly dirty = computed(() => {
    const t = this.selected();
    return !t || t.name !== this.name() || t.promptText !== this.prompt();
  });
  protected readonly valid = computed(() => this.name().trim().length > 0 && this.prompt().trim().length > 0);

  async ngOnInit(): Promise<void> {
    await this.list.load();
    const items = this.list.value() ?? [];
    const first = items.find((t) => t.isActive) ?? items[0];
    if (first) this.select(first);
    else this.newTemplate();
  }

  protected select(t: AiTemplate): void {
    this.selectedId.set(t.id);
    this.name.set(t.name);
    this.prompt.set(t.promptText);
  }

  protected newTemplate(): void {
    this.selectedId.set(null);
    this.name.set('New template');
    this.prompt.set(DEFAULT_PROMPT);
  }

  protected async save(): Promise<void> {
    await this.act(async () => {
      const id = this.selectedId();
      const draft = { name: this.name().trim(), promptText: this.prompt() };
      const saved = id ? await this.api.update(id, draft) : await this.api.create(draft);
      this.list.update((l) => (id ? l.map((t) => (t.id === id ? saved : t)) : [...l, saved]));
      if (!this.list.value()) this.list.value.set([saved]);
      this.select(saved);
      this.notify.ok('Template saved');
    });
  }

  protected async activate(): Promise<void> {
    const id = this.selectedId();
    if (!id) return;
    await this.act(async () => {
      await this.api.activate(id);
      this.list.update((l) => l.map((t) => ({ ...t, isActive: t.id === id })));
      this.notify.ok('Template is now active');
    });
  }

  protected async remove(): Promise<void> {
    const t = this.selected();
    if (!t) return;
    const ok = await confirmAction(this.dialog, {
      title: `Delete “${t.name}”?`,
      message: t.isActive ? 'This is the active template; generation falls back to the default prompt.' : 'This cannot be undone.',
      confirm: 'Delete',
      danger: true,
    });
    if (!ok) return;
    await this.act(async () => {
      await this.api.remove(t.id);
      this.list.update((l) => l.filter((x) => x.id !== t.id));
      const next = this.list.value()?.[0];
      if (next) this.select(next);
      else this.newTemplate();
      this.notify.ok('Template deleted');
    });
  }

  protected test(): void {
    this.dialog.open<TestPromptDialog, TestPromptData>(TestPromptDialog, {
      data: { templateId: this.dirty() ? undefined : (this.selectedId() ?? undefined), promptText: this.prompt() },
      width: 'min(720px, 96vw)',
    });
  }

  private async act(fn: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    try {
      await fn();
    } catch (err) {
      this.notify.error(err);
    } finally {
      this.busy.set(false);
    }
  }
}
