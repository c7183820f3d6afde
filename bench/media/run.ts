/**
 * Media bench (issue #5 item 11): upload of a >= 1 GiB video through the streamed upload route —
 * throughput and RSS growth — and metadata extraction time for a 1080p clip. Prints the figures.
 * Needs the local PostgreSQL (postgres://postgres@127.0.0.1:5432). Usage: npm run bench:media [-- --gib 1]
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { resolveMediaBinaries } from '../../services/media/src/ingest/media-tools';
import { probeVideo } from '../../services/media/src/ingest/video-probe';
import { createMediaTestApp } from '../../services/media/src/test-support/media-app';

const run = promisify(execFile);
const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const gib = Number(process.argv[process.argv.indexOf('--gib') + 1]) || 1;
  const ffmpeg = resolveMediaBinaries().ffmpeg;
  if (!ffmpeg) throw new Error('bench needs ffmpeg (@ffmpeg-installer/ffmpeg)');
  const dir = await mkdtemp(path.join(tmpdir(), 'sx-media-bench-'));
  try {
    const clip = path.join(dir, 'clip1080.mp4');
    await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30', '-t', '4',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p', clip]);
    await benchMetadata(clip);

    const clipBytes = (await stat(clip)).size;
    const loops = Math.ceil((gib * 1024 * MiB) / clipBytes);
    const big = path.join(dir, 'big.mp4');
    await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', String(loops - 1), '-i', clip, '-c', 'copy', big]);
    await benchUpload(big, gib);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchMetadata(clip: string): Promise<void> {
  const t0 = performance.now();
  await probeVideo(clip);
  const cold = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await probeVideo(clip);
    warm.push(performance.now() - t);
  }
  warm.sort((a, b) => a - b);
  console.log(`metadata 1080p clip (mediainfo.js): cold ${cold.toFixed(0)} ms, warm median ${warm[5].toFixed(1)} ms, p90 ${warm[8].toFixed(1)} ms`);
}

async function benchUpload(file: string, gib: number): Promise<void> {
  const bytes = (await stat(file)).size;
  const t = await createMediaTestApp({ SX_UPLOAD_MAX_BYTES: String(Math.ceil(gib * 1.5 * 1024 * MiB)) });
  try {
    const server = t.app.getHttpServer() as http.Server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    globalThis.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = performance.now();
    let sentAt = started;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: '/media/uploads?filename=big.mp4', headers: { ...t.headers('ws-bench'), 'content-type': 'video/mp4', 'content-length': bytes } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.on('finish', () => (sentAt = performance.now()));
      createReadStream(file).pipe(req);
    });
    const total = performance.now() - started;
    clearInterval(sampler);
    const mb = bytes / MiB;
    console.log(`upload ${mb.toFixed(0)} MiB -> HTTP ${status}`);
    console.log(`  transfer (stream + hash to spool): ${((sentAt - started) / 1000).toFixed(1)} s = ${(mb / ((sentAt - started) / 1000)).toFixed(0)} MiB/s`);
    console.log(`  end to end incl. validation, metadata strip, poster, storage: ${(total / 1000).toFixed(1)} s = ${(mb / (total / 1000)).toFixed(0)} MiB/s`);
    console.log(`  RSS growth: ${((peak - baseline) / MiB).toFixed(0)} MiB (baseline ${(baseline / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB)`);
  } finally {
    await t.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
