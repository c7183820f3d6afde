import { Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import type { AppConfig } from '@sx/config';
import { MediaProxyController } from './media-proxy.controller';

/** Whole-request limit of the HTTP server while the proxy is active: GB uploads outlast Node's 5 min default. */
export const UPLOAD_REQUEST_TIMEOUT_MS = 6 * 3_600_000;

export class ServerTimeouts implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    // Slow-header protection (headersTimeout) stays; only the whole-body limit grows.
    if (server && server.requestTimeout > 0 && server.requestTimeout < UPLOAD_REQUEST_TIMEOUT_MS) {
      server.requestTimeout = UPLOAD_REQUEST_TIMEOUT_MS;
    }
  }
}

/**
 * The `/media/*` and `/storage/objects/*` proxy to the media service. Active only in distributed
 * mode: in embedded mode MediaModule serves those routes in the same app, so this module is empty.
 * Import it next to GatewayModule: `MediaProxyModule.register(config)`.
 */
@Module({})
export class MediaProxyModule {
  static register(config: Pick<AppConfig, 'mode'>): DynamicModule {
    if (config.mode !== 'distributed') return { module: MediaProxyModule };
    return {
      module: MediaProxyModule,
      controllers: [MediaProxyController],
      providers: [{ provide: ServerTimeouts, inject: [HttpAdapterHost], useFactory: (h: HttpAdapterHost) => new ServerTimeouts(h) }],
    };
  }
}
