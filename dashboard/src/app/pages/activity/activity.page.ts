import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { MatTabsModule } from '@angular/material/tabs';
import { AuditEntry, AuditFilter, SystemApi } from '../../core/api/system.api';
import { EventStream } from '../../core/events/event-stream.service';
import { Loadable } from '../../core/util/loadable';
import { Notify } from '../../core/util/notify.service';
import { LoadStateComponent } from '../../shared/load-state/load-state.component';
import { describeEvent } from './describe-event';
import { AUDIT_ACTIONS, describeAuditAction } from './describe-audit';
import { TeamApi, TeamMember } from '../../core/api/team.api';
import { PreferencesService } from '../../core/util/preferences.service';
import { formatInZone } from '../../core/util/time';

/** Audit log (server, filterable, paged) and the live event stream (client, filterable). */
@Component({
  selector: 'sx-activity-page',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSelectModule, MatTableModule, MatTabsModule, LoadStateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './activity.page.html',
  styles: `.sx-live-list { list-style: none; padding: 0; } .sx-live-list li { display: flex; gap: 8px; padding: 6px 0; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .sx-o-denied, .sx-o-error { color: var(--mat-sys-error); }`,
})
export class ActivityPage implements OnInit {
  private readonly api = inject(SystemApi);
  private readonly notify = inject(Notify);
  private readonly teamApi = inject(TeamApi);
  private readonly prefs = inject(PreferencesService);
  protected readonly events = inject(EventStream);
  protected readonly filter = signal<AuditFilter>({ action: '', actorId: '', outcome: '' });
  protected readonly cursor = signal<string | null>(null);
  protected readonly audit = new Loadable<AuditEntry[]>(async () => {
    const page = await this.api.auditLog({ ...this.filter(), limit: 100 });
    this.cursor.set(page.nextCursor);
    return page.items;
  });
  protected readonly columns = ['at', 'actor', 'action', 'outcome', 'ip'];
  protected readonly actions = AUDIT_ACTIONS;
  protected readonly outcomeText: Record<string, string> = { success: 'Done', denied: 'Not allowed', error: 'Failed' };
  protected readonly team = signal<TeamMember[]>([]);
  protected readonly zone = computed(() => this.prefs.prefs().zone);
  protected readonly what = describeAuditAction;
  protected readonly liveFilter = signal('');
  protected readonly live = computed(() => {
    const f = this.liveFilter();
    return this.events
      .recent()
      .filter((e) => !f || e.subject.startsWith(f))
      .map(describeEvent);
  });

  ngOnInit(): void {
    void this.audit.load();
    this.teamApi.members().then((m) => this.team.set(m), () => undefined);
  }

  protected when(iso: string): string {
    return formatInZone(iso, this.zone(), 'd LLL yyyy, HH:mm:ss');
  }

  /** A name, never an id: the team list names people; anything else acting is a script's API key. */
  protected who(a: AuditEntry): string {
    return a.actorName || this.team().find((m) => m.id === a.actorId)?.displayName || (a.actorId === 'anonymous' || !a.actorId ? 'Someone not signed in' : 'A script (API key) or a removed person');
  }

  protected patch(p: Partial<AuditFilter>): void {
    this.filter.update((f) => ({ ...f, ...p }));
    void this.audit.load();
  }

  protected async more(): Promise<void> {
    const cursor = this.cursor();
    if (!cursor) return;
    try {
      const page = await this.api.auditLog({ ...this.filter(), limit: 100, cursor });
      this.cursor.set(page.nextCursor);
      this.audit.update((l) => [...l, ...page.items]);
    } catch (err) {
      this.notify.error(err);
    }
  }
}
