import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from './free-port';
import { randomName } from './namespace';

export interface TestS3Server {
  /** http://127.0.0.1:<port> — path-style, region us-east-1. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** A bucket that already exists. */
  bucket: string;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
}

type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

// s3rver ships no type declarations; this is the slice of its API we use.
const loadS3rver = (): S3rverConstructor => createRequire(__filename)('s3rver') as S3rverConstructor;

/**
 * Starts s3rver (an S3-compatible server from npm, storing under a temp dir) on a free port.
 * s3rver accepts the fixed credentials S3RVER/S3RVER and only checks that the access key
 * exists, not the V4 signature; it lacks ListMultipartUploads (see the storage lib).
 */
export async function startS3Server(): Promise<TestS3Server> {
  const S3rver = loadS3rver();
  const directory = await mkdtemp(path.join(tmpdir(), 'sx-s3-'));
  const port = await freePort();
  const bucket = randomName('sx-t-');
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    bucket,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
