import { ChangeDetectionStrategy, Component, OnDestroy, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { toApiError } from '../../core/api/api-error';
import { LogLevel, LogLine, LogsApi, LogsFilter } from '../../core/api/logs.api';
import { AuthStore } from '../../core/auth/auth.store';
import { PreferencesService } from '../../core/util/preferences.service';
import { formatInZone } from '../../core/util/time';

const MAX_LINES = 1_000;
const RETRY_MS = 3_000;
const SERVICES = ['scheduler', 'publisher', 'pipeline'];
const LEVELS: { value: LogLevel | ''; label: string }[] = [
  { value: '', label: 'Everything' },
  { value: 'info', label: 'Info and above' },
  { value: 'warn', label: 'Warnings and errors' },
  { value: 'error', label: 'Errors only' },
];

/** Live view of the services' recent log lines (admins), filterable by service, level and correlation id. */
@Component({
  selector: 'sx-logs-page',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './logs.page.html',
  styleUrl: './logs.page.scss',
})
export class LogsPage implements OnInit, OnDestroy {
  private readonly api = inject(LogsApi);
  private readonly prefs = inject(PreferencesService);
  protected readonly auth = inject(AuthStore);
  protected readonly services = SERVICES;
  protected readonly levels = LEVELS;

  protected readonly service = signal('');
  protected readonly level = signal<LogLevel | ''>('');
  protected readonly correlationId = signal('');
  protected readonly lines = signal<LogLine[]>([]);
  protected readonly live = signal(false);
  protected readonly paused = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly unavailable = signal<string[]>([]);
  protected readonly zone = computed(() => this.prefs.prefs().zone);
  protected readonly isAdmin = computed(() => this.auth.identity()?.role === 'admin');
  /** Newest first, as people read a live log. */
  protected readonly shown = computed(() => [...this.lines()].reverse());

  private abort: AbortController | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;

  ngOnInit(): void {
    if (this.isAdmin()) this.connect();
  }

  ngOnDestroy(): void {
    this.disconnect();
  }

  protected setFilter(patch: Partial<{ service: string; level: LogLevel | ''; correlationId: string }>): void {
    if (patch.service !== undefined) this.service.set(patch.service);
    if (patch.level !== undefined) this.level.set(patch.level);
    if (patch.correlationId !== undefined) this.correlationId.set(patch.correlationId);
    this.lines.set([]);
    this.connect();
  }

  protected togglePause(): void {
    this.paused.update((p) => !p);
    if (this.paused()) this.disconnect();
    else this.connect();
  }

  protected time(l: LogLine): string {
    return formatInZone(l.time, this.zone(), 'd LLL HH:mm:ss');
  }

  private filter(): LogsFilter {
    return { service: this.service(), level: this.level(), correlationId: this.correlationId() };
  }

  private connect(): void {
    this.disconnect();
    if (this.paused()) return;
    const abort = new AbortController();
    this.abort = abort;
    this.api
      .stream(this.filter(), abort.signal, (batch) => {
        this.live.set(true);
        this.error.set(null);
        this.unavailable.set(batch.unavailable);
        if (!batch.items.length) return;
        this.lines.update((l) => {
          const seen = new Set(l.map((x) => x.id));
          return [...l, ...batch.items.filter((x) => !seen.has(x.id))].slice(-MAX_LINES);
        });
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) this.error.set(toApiError(err).message);
      })
      .finally(() => {
        if (abort.signal.aborted || this.abort !== abort) return;
        // The stream ended (token expiry, restart): pick up again shortly.
        this.live.set(false);
        this.retry = setTimeout(() => this.connect(), RETRY_MS);
      });
  }

  private disconnect(): void {
    this.abort?.abort();
    this.abort = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.live.set(false);
  }
}
