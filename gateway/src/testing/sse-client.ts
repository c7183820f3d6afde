import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** A minimal SSE reader over a real socket: frames as they arrive, and a promise per expectation. */
export class SseClient {
  readonly frames: SseFrame[] = [];
  status = 0;
  ended = false;
  body = '';
  private buffer = '';
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  private req?: http.ClientRequest;

  static async open(app: INestApplication, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    const { port } = (app.getHttpServer() as http.Server).address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      client.req = http.get({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.push(chunk));
        res.on('end', () => {
          client.ended = true;
          client.notify();
        });
        resolve();
      });
      client.req.on('error', reject);
    });
    return client;
  }

  events(name?: string): SseFrame[] {
    return this.frames.filter((f) => f.event !== undefined && (name === undefined || f.event === name));
  }

  /** Resolves once `test` holds; rejects after `ms` (a safety net, not a timing assumption). */
  until(test: () => boolean, ms = 5_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`SSE condition not met; frames: ${JSON.stringify(this.frames)}`)), ms);
      this.waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  close(): void {
    this.req?.destroy();
  }

  private push(chunk: string): void {
    this.body += chunk;
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame: SseFrame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else {
          const i = line.indexOf(':');
          const field = line.slice(0, i);
          const value = line.slice(i + 1).trimStart();
          if (field === 'id' || field === 'event' || field === 'data') frame[field] = value;
        }
      }
      this.frames.push(frame);
    }
    this.notify();
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }
}
