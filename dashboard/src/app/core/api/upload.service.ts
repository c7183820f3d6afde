import { HttpClient, HttpEventType, HttpHeaders, HttpResponse } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { Subscription, firstValueFrom } from 'rxjs';
import { toApiError } from './api-error';

/** The media service's tus endpoint (resumable uploads, tus 1.0.0). */
export const UPLOAD_ENDPOINT = '/media/tus';
const CHUNK_BYTES = 5 * 1024 * 1024;
const TUS = { 'Tus-Resumable': '1.0.0' };

/** `error`: the transfer broke and can be resumed; `rejected`: the server refused the file (final). */
export type UploadStatus = 'queued' | 'uploading' | 'paused' | 'done' | 'error' | 'rejected';

/** Answers that mean "this file will never be accepted": resuming would only repeat the refusal. */
const RETRYABLE_4XX = new Set([408, 409, 423, 429]);
const isRejection = (status: number): boolean => status >= 400 && status < 500 && !RETRYABLE_4XX.has(status);

export class UploadItem {
  readonly progress = signal(0);
  readonly status = signal<UploadStatus>('queued');
  readonly error = signal<string | null>(null);
  readonly assetId = signal<string | null>(null);
  location: string | null = null;
  offset = 0;
  sub: Subscription | null = null;
  constructor(readonly file: File) {}
  get key(): string {
    return `sx-upload:${this.file.name}:${this.file.size}:${this.file.lastModified}`;
  }
}

const b64 = (s: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

/** Minimal tus client on HttpClient, so auth and progress events go through the same stack. */
@Injectable({ providedIn: 'root' })
export class UploadService {
  private readonly http = inject(HttpClient);
  readonly items = signal<UploadItem[]>([]);

  add(files: readonly File[]): UploadItem[] {
    const added = files.map((f) => new UploadItem(f));
    this.items.update((list) => [...list, ...added]);
    for (const item of added) void this.run(item);
    return added;
  }

  pause(item: UploadItem): void {
    item.sub?.unsubscribe();
    item.sub = null;
    item.status.set('paused');
  }

  resume(item: UploadItem): void {
    if (item.status() === 'uploading' || item.status() === 'done' || item.status() === 'rejected') return;
    void this.run(item);
  }

  dismiss(item: UploadItem): void {
    item.sub?.unsubscribe();
    this.items.update((list) => list.filter((i) => i !== item));
  }

  clearFinished(): void {
    this.items.update((list) => list.filter((i) => i.status() !== 'done' && i.status() !== 'rejected'));
  }

  private async run(item: UploadItem): Promise<void> {
    item.status.set('uploading');
    item.error.set(null);
    try {
      await this.locate(item);
      while (item.offset < item.file.size || item.file.size === 0) {
        const done = await this.sendChunk(item);
        if (done || item.file.size === 0) break;
      }
      localStorage.removeItem(item.key);
      item.progress.set(1);
      item.status.set('done');
    } catch (err) {
      if (item.status() === 'paused') return;
      const e = toApiError(err);
      if (isRejection(e.status)) {
        // The bytes arrived but the file was refused: nothing to resume, and the bar must not read "complete".
        localStorage.removeItem(item.key);
        item.location = null;
        item.offset = 0;
        item.progress.set(0);
        item.status.set('rejected');
      } else {
        item.status.set('error');
      }
      item.error.set(e.message);
    }
  }

  /** Create the upload or, for a file seen before, ask the server how much it already has. */
  private async locate(item: UploadItem): Promise<void> {
    const known = item.location ?? localStorage.getItem(item.key);
    if (known) {
      try {
        const head = await firstValueFrom(
          this.http.head(known, { headers: new HttpHeaders(TUS), observe: 'response' }),
        );
        item.location = known;
        item.offset = Number(head.headers.get('Upload-Offset') ?? 0);
        item.progress.set(item.file.size ? item.offset / item.file.size : 0);
        return;
      } catch {
        localStorage.removeItem(item.key);
      }
    }
    const created = await firstValueFrom(
      this.http.post(UPLOAD_ENDPOINT, null, {
        observe: 'response',
        headers: new HttpHeaders({
          ...TUS,
          'Upload-Length': String(item.file.size),
          'Upload-Metadata': `filename ${b64(item.file.name)},filetype ${b64(item.file.type || 'application/octet-stream')}`,
        }),
      }),
    );
    const location = created.headers.get('Location');
    if (!location) throw new Error('The upload server did not return a location');
    item.location = location;
    item.offset = 0;
    localStorage.setItem(item.key, location);
  }

  private sendChunk(item: UploadItem): Promise<boolean> {
    const location = item.location as string;
    const chunk = item.file.slice(item.offset, item.offset + CHUNK_BYTES);
    const headers = new HttpHeaders({
      ...TUS,
      'Upload-Offset': String(item.offset),
      'Content-Type': 'application/offset+octet-stream',
    });
    return new Promise<boolean>((resolve, reject) => {
      item.sub = this.http
        .patch(location, chunk, { headers, observe: 'events', reportProgress: true, responseType: 'text' })
        .subscribe({
          next: (ev) => {
            if (ev.type === HttpEventType.UploadProgress && item.file.size) {
              item.progress.set((item.offset + ev.loaded) / item.file.size);
            } else if (ev instanceof HttpResponse) {
              item.offset = Number(ev.headers.get('Upload-Offset') ?? item.offset + chunk.size);
              item.progress.set(item.file.size ? item.offset / item.file.size : 1);
              const assetId = ev.headers.get('X-Asset-Id') ?? parseAssetId(ev.body);
              if (assetId) item.assetId.set(assetId);
              resolve(item.offset >= item.file.size);
            }
          },
          error: (err: unknown) => reject(err),
        });
    });
  }
}

function parseAssetId(body: string | null): string | null {
  if (!body) return null;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) {
      const rec = parsed as Record<string, unknown>;
      const asset = rec['asset'];
      const nested = typeof asset === 'object' && asset !== null ? (asset as Record<string, unknown>)['id'] : undefined;
      const id = nested ?? rec['assetId'] ?? rec['id'];
      return typeof id === 'string' ? id : null;
    }
  } catch {
    return null;
  }
  return null;
}
