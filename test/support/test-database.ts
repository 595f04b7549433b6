import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  /** Environment for the app: DATABASE_URL, or an in-memory embedded database. */
  env: Record<string, string>;
  /** Set when the test runs against a real server. */
  url?: string;
  drop(): Promise<void>;
}

export const serverUrl = () => process.env.TEST_DATABASE_URL;

/**
 * A fresh database per test file: an in-memory PGlite by default, or a
 * uniquely named database on the server named by TEST_DATABASE_URL.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = serverUrl();
  if (!server) return { env: { DATA_DIR: 'memory://', DATABASE_URL: '' }, drop: async () => {} };
  const name = `mgp_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(server, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    drop: async () => {
      await withAdminClient(server, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdminClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
