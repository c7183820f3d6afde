// Test helper: an HTTP proxy in front of the real PDS that, when armed, lets the next matching request
// reach the PDS (so the write is committed) and then destroys the client connection without an answer —
// the "publisher lost the platform's answer" case, against the real server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DroppingProxy {
  url: string;
  /** Drops the answer of the next request whose path starts with `pathPrefix`. */
  dropNext(pathPrefix: string): void;
  close(): Promise<void>;
}

export async function startDroppingProxy(target: string): Promise<DroppingProxy> {
  let drop: string | undefined;
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const shouldDrop = drop !== undefined && (req.url ?? '').startsWith(drop);
    if (shouldDrop) drop = undefined;
    const out = http.request(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        if (shouldDrop) {
          up.resume();
          up.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropNext: (prefix) => {
      drop = prefix;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
