/** `npm run openapi`: writes openapi.json from the app, without a port or a real database. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './app.factory';
import { buildOpenApiDocument } from './openapi/swagger';

async function generate(): Promise<void> {
  const app = await createApp({ env: { DATA_DIR: 'memory://', LOG_LEVEL: 'warn', DATABASE_URL: '' } });
  await app.init();
  const file = join(process.cwd(), 'openapi.json');
  writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  await app.close();
}

void generate();
