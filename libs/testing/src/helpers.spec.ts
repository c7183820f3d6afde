import { createServer } from 'node:net';
import { Client } from 'pg';
import { createTestDatabase } from './test-database';
import { freePort } from './free-port';
import { randomName, testNamespace } from './namespace';
import { startS3Server } from './s3-server';

describe('freePort', () => {
  it('returns a port that can be bound right away', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('names', () => {
  it('gives distinct, subject-safe namespaces and lower-case names', () => {
    const a = testNamespace();
    expect(a).toMatch(/^T[0-9A-F]{10}$/);
    expect(testNamespace()).not.toBe(a);
    expect(randomName('sx_t_')).toMatch(/^sx_t_[0-9a-f]{12}$/);
  });
});

describe('createTestDatabase', () => {
  it('creates an isolated database and drops it', async () => {
    const db = await createTestDatabase();
    expect(db.name).toMatch(/^sx_t_[0-9a-f]{12}$/);
    const client = new Client({ connectionString: db.url });
    // DROP ... WITH (FORCE) terminates this session; pg reports that as an 'error' event.
    client.on('error', () => undefined);
    await client.connect();
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    expect(rows[0].db).toBe(db.name);
    // drop() must succeed even with a connection still open on the database.
    await db.drop();
    await client.end().catch(() => undefined);
    const admin = new Client({ connectionString: db.url.replace(db.name, 'postgres') });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });
});

describe('startS3Server', () => {
  it('serves the pre-created bucket over HTTP and stops cleanly', async () => {
    const s3 = await startS3Server();
    try {
      expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${s3.endpoint}/`);
      const body = await res.text();
      // Anonymous ListBuckets is refused, which still proves an S3 XML API answers.
      expect(body).toContain('<?xml');
    } finally {
      await s3.stop();
    }
    await expect(fetch(`${s3.endpoint}/`)).rejects.toThrow();
  });
});
