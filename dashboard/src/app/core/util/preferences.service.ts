import { Injectable, effect, signal } from '@angular/core';
import { browserZone, isValidZone } from './time';

const KEY = 'sx.prefs';

export interface Preferences {
  zone: string;
  scheduleView: 'cards' | 'table';
  mediaView: 'grid' | 'table';
}

/** Per-browser display preferences (not security-relevant, so localStorage is fine). */
@Injectable({ providedIn: 'root' })
export class PreferencesService {
  readonly prefs = signal<Preferences>(this.load());

  constructor() {
    effect(() => localStorage.setItem(KEY, JSON.stringify(this.prefs())));
  }

  patch(p: Partial<Preferences>): void {
    this.prefs.update((cur) => ({ ...cur, ...p }));
  }

  private load(): Preferences {
    const fallback: Preferences = { zone: browserZone(), scheduleView: 'cards', mediaView: 'grid' };
    try {
      const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Preferences>;
      const zone = raw.zone && isValidZone(raw.zone) ? raw.zone : fallback.zone;
      return {
        zone,
        scheduleView: raw.scheduleView === 'table' ? 'table' : 'cards',
        mediaView: raw.mediaView === 'table' ? 'table' : 'grid',
      };
    } catch {
      return fallback;
    }
  }
}
