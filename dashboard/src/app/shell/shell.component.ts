import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';
import { NAV } from '../app.routes';
import { AuthStore } from '../core/auth/auth.store';
import { EventStream } from '../core/events/event-stream.service';
import { Notify } from '../core/util/notify.service';
import { ThemeService } from '../core/util/theme.service';

@Component({
  selector: 'sx-shell',
  imports: [
    RouterOutlet, RouterLink, RouterLinkActive, MatSidenavModule, MatToolbarModule, MatListModule,
    MatIconModule, MatButtonModule, MatMenuModule, MatTooltipModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './shell.component.scss',
  templateUrl: './shell.component.html',
})
export class ShellComponent {
  private readonly notify = inject(Notify);
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthStore);
  protected readonly events = inject(EventStream);
  protected readonly theme = inject(ThemeService);
  protected readonly nav = NAV;

  /** Below 1024 px (tablet) the sidebar overlays the content instead of pushing it. */
  protected readonly compact = toSignal(
    inject(BreakpointObserver).observe('(max-width: 1023.98px)').pipe(map((s) => s.matches)),
    { initialValue: false },
  );
  protected readonly sideMode = computed(() => (this.compact() ? 'over' : 'side'));
  protected readonly navOpen = signal(true);
  protected readonly opened = computed(() => !this.compact() || this.navOpen());

  constructor() {
    this.navOpen.set(false);
    this.events.start();
    const sub = this.events.on('alert.').subscribe((e) => {
      const msg = e.data['message'];
      if (typeof msg === 'string') this.notify.error(new Error(msg));
    });
    inject(DestroyRef).onDestroy(() => {
      sub.unsubscribe();
      this.events.stop();
    });
  }

  protected closeIfCompact(): void {
    if (this.compact()) this.navOpen.set(false);
  }

  protected async logout(): Promise<void> {
    this.events.stop();
    await this.auth.logout();
    await this.router.navigate(['/login']);
  }
}
