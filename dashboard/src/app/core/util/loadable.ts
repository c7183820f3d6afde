import { computed, signal } from '@angular/core';
import { ApiError, toApiError } from '../api/api-error';

/**
 * Loading / data / error state for one async source. A reload keeps showing the old data
 * while it runs; an out-of-date answer (a newer load started) is dropped.
 */
export class Loadable<T> {
  readonly value = signal<T | undefined>(undefined);
  readonly loading = signal(false);
  readonly error = signal<ApiError | null>(null);
  readonly loaded = computed(() => this.value() !== undefined);
  private generation = 0;

  constructor(private readonly source: () => Promise<T>) {}

  async load(): Promise<void> {
    const gen = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      const v = await this.source();
      if (gen === this.generation) this.value.set(v);
    } catch (err) {
      if (gen === this.generation) this.error.set(toApiError(err));
    } finally {
      if (gen === this.generation) this.loading.set(false);
    }
  }

  /** Local edit after a mutation or a live event. */
  update(fn: (v: T) => T): void {
    const cur = this.value();
    if (cur !== undefined) this.value.set(fn(cur));
  }
}
