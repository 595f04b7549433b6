import { ConfigService } from '@nestjs/config';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { createRootLogger } from './platform/logging/root-logger';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const { port, host } = app.get(ConfigService<AppConfig, true>).get('http', { infer: true });
  await app.listen(port, host);
}

bootstrap().catch((error: unknown) => {
  // The configuration may be what failed, so this logger needs none: one JSON line, like every other.
  createRootLogger({ level: 'info' }).fatal({ err: error }, error instanceof Error ? error.message : 'Could not start');
  process.exit(1);
});
