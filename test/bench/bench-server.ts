/**
 * What `npm run bench` starts: the service with the bench's own routes and
 * query counter mounted beside its modules, compiled by tsc into dist/bench
 * (tsconfig.bench.json). Nothing of the bench ships in src/.
 */
import { ConfigService } from '@nestjs/config';
import { createApp } from '../../src/app.factory';
import { AppConfig } from '../../src/config/app-config';
import { BenchModule } from './bench.module';

async function serve(): Promise<void> {
  const app = await createApp({ imports: [BenchModule] });
  const { port } = app.get(ConfigService<AppConfig, true>).get('http', { infer: true });
  await app.listen(port, '127.0.0.1');
}

serve().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
