import { Readable } from 'node:stream';
import { Client } from 'minio';
import { AppError } from '@sx/service-kit';
import { randomName, startS3Server, type TestS3Server } from '@sx/testing';
import { createObjectStorage, verifyPresigned } from '../create-object-storage';
import type { ObjectStorage } from '../object-storage';
import { digestStream, patternStream } from '../testing/byte-streams';
import { objectStorageContract } from '../testing/object-storage.contract';
import { PUT_PART_SIZE } from './s3-object-storage';

describe('S3ObjectStorage (against s3rver)', () => {
  let s3: TestS3Server;
  let storage: ObjectStorage;

  beforeAll(async () => {
    s3 = await startS3Server();
    storage = createObjectStorage({
      driver: 's3',
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket: s3.bucket,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
    });
  });
  afterAll(async () => {
    await s3.stop();
  });

  objectStorageContract('s3', () => ({ storage, fetchPresigned: (url, init) => fetch(url, init) }));

  it('sends a stream longer than one part as an explicit multipart upload', async () => {
    const size = PUT_PART_SIZE * 2 + 5;
    const initiate = jest.spyOn(Client.prototype, 'initiateNewMultipartUpload');
    const part = jest.spyOn(Client.prototype, 'uploadPart');
    // minio's own multipart path starts with findUploadId (ListMultipartUploads): never taken.
    const findUploadId = jest.spyOn(Client.prototype, 'findUploadId');
    try {
      const info = await storage.put('s3/multi-by-put.bin', patternStream(size, 5));
      expect(info.size).toBe(size);
      expect(initiate).toHaveBeenCalledTimes(1);
      expect(part.mock.calls.map(([cfg, payload]) => [cfg.partNumber, (payload as Buffer).length])).toEqual([
        [1, PUT_PART_SIZE],
        [2, PUT_PART_SIZE],
        [3, 5],
      ]);
      expect(findUploadId).not.toHaveBeenCalled();
    } finally {
      jest.restoreAllMocks();
    }
    expect(await digestStream((await storage.get('s3/multi-by-put.bin')).stream)).toEqual(
      await digestStream(patternStream(size, 5)),
    );
  });

  it('creates a missing bucket on its first write, and reports it missing until then', async () => {
    const bucket = randomName('sx-new-');
    const other = createObjectStorage({
      driver: 's3',
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
    });
    expect(await other.health()).toEqual({ ok: false, detail: `bucket ${bucket} does not exist` });
    await other.put('hello.txt', Readable.from([Buffer.from('hi')]));
    expect((await other.stat('hello.txt')).size).toBe(2);
    expect(await other.health()).toEqual({ ok: true });
  });

  it('does not verify S3 presigned URLs itself (S3 does)', () => {
    expect(() => verifyPresigned(storage, 'GET', 'http://x/y')).toThrow(AppError);
  });

  it('reports unreachable storage as unhealthy and as a coded 503 without secrets', async () => {
    const dead = await startS3Server();
    await dead.stop();
    const lost = createObjectStorage({
      driver: 's3',
      endpoint: dead.endpoint,
      region: 'us-east-1',
      bucket: dead.bucket,
      accessKey: dead.accessKey,
      secretKey: 'S3RVER-secret-not-shown',
    });
    const health = await lost.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/unreachable/);
    let err: unknown;
    try {
      await lost.put('any.txt', Readable.from([Buffer.from('x')]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).toCommandError()).toMatchObject({ code: 'storage_unavailable', status: 503 });
    expect(JSON.stringify((err as AppError).toCommandError())).not.toContain('S3RVER-secret-not-shown');
  });
});
