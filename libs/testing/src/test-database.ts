import { Client } from 'pg';
import { randomName } from './namespace';

export interface TestDatabase {
  /** postgres:// URL of the fresh database. */
  url: string;
  name: string;
  /** Drops the database, closing any connection still open on it. */
  drop(): Promise<void>;
}

const DEFAULT_HOST = '127.0.0.1:5432';
const CANDIDATE_USERS = ['postgres', 'root'];

/**
 * Creates a fresh, empty database `sx_t_<random>` on the local test server, so that tests
 * running in parallel never share tables. Tries the `postgres` user, then `root`.
 */
export async function createTestDatabase(host = DEFAULT_HOST): Promise<TestDatabase> {
  const { client, user } = await connectAdmin(host);
  const name = randomName('sx_t_');
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  let dropped = false;
  return {
    url: `postgres://${user}@${host}/${name}`,
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      const admin = (await connectAdmin(host)).client;
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

async function connectAdmin(host: string): Promise<{ client: Client; user: string }> {
  const problems: string[] = [];
  for (const user of CANDIDATE_USERS) {
    const client = new Client({ connectionString: `postgres://${user}@${host}/postgres` });
    try {
      await client.connect();
      return { client, user };
    } catch (e) {
      problems.push(`${user}: ${e instanceof Error ? e.message : String(e)}`);
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`cannot reach the test PostgreSQL at ${host} (${problems.join('; ')})`);
}
