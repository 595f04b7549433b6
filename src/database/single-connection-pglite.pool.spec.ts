import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEmbeddedDataDir } from './single-connection-pglite.pool';

describe('initEmbeddedDataDir', () => {
  it('creates the cluster in a DATA_DIR that does not exist yet', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'mgp-data-')), 'not', 'there', 'yet');
    await initEmbeddedDataDir(dataDir);
    expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    await initEmbeddedDataDir(dataDir); // and is a no-op once it exists
  });

  it('leaves an in-memory database alone', async () => {
    await expect(initEmbeddedDataDir('memory://')).resolves.toBeUndefined();
  });
});
