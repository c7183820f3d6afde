import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@sx/service-kit';
import { verifyPresignedTarget } from '../create-object-storage';
import type { ObjectStorage } from '../object-storage';

export interface PresignTestServer {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A minimal stand-in for the media HTTP route that serves disk presigned URLs, so specs can
 * fetch them like a browser: verify, then stream the object out (GET) or in (PUT, or one multipart part).
 */
export async function startPresignTestServer(storage: () => ObjectStorage): Promise<PresignTestServer> {
  const server: Server = createServer((req, res) => {
    void handle(storage(), req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/storage/objects`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(storage: ObjectStorage, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const { key, part } = verifyPresignedTarget(storage, req.method ?? 'GET', req.url ?? '/');
    if (part) {
      const uploaded = await storage.uploadPart(key, part.uploadId, part.partNumber, req);
      res.writeHead(200, { ETag: `"${uploaded.etag}"` }).end();
      return;
    }
    if (req.method === 'PUT') {
      const info = await storage.put(key, req, { contentType: req.headers['content-type']?.split(',')[0] });
      res.writeHead(200, { ETag: `"${info.etag}"` }).end();
      return;
    }
    const { stream, info } = await storage.get(key);
    res.writeHead(200, { 'Content-Type': info.contentType, 'Content-Length': info.size });
    stream.pipe(res);
  } catch (e) {
    const status = e instanceof AppError ? e.status : 500;
    const code = e instanceof AppError ? e.code : 'internal';
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code }));
  }
}
