import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { ThemeService } from './core/util/theme.service';

@Component({
  selector: 'sx-root',
  imports: [RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<router-outlet />`,
})
export class AppComponent {
  // Instantiated here so the stored theme applies on the login page too.
  protected readonly theme = inject(ThemeService);
}
