import { ConfigService } from '@nestjs/config';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const { port } = app.get(ConfigService<AppConfig, true>).get('http', { infer: true });
  await app.listen(port, '0.0.0.0');
}

bootstrap().catch((error: Error) => {
  // The logger may not exist yet (a configuration error), so say it plainly.
  console.error(error.message);
  process.exit(1);
});
