import { ModuleMetadata } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { appOptions, configureApp, createAdapter, nestLoggerFor } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { Clock } from '../../src/common/clock';
import { EnvOverrides, readConfig } from '../../src/config/config.module';
import { MailSender } from '../../src/mail/mail-sender';
import { buildOpenApiDocument } from '../../src/openapi/swagger';
import { createRootLogger } from '../../src/platform/logging/root-logger';
import { applyPlatformTuning } from '../../src/platform/platform-tuning';
import { OpenApiContract } from './openapi-contract';
import { createTestDatabase, TestDatabase } from './test-database';
import { FakeClock } from './fake-clock';

export interface TestApp {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  clock: FakeClock;
  database: TestDatabase;
  /** Where messages go as .eml files when no SMTP_URL is given: a folder of this app's own. */
  outboxDir: string;
  /** Resolves once the mail sender is idle, so that its queries do not fall into a test's count. */
  mailSettled(): Promise<void>;
  /** Every log line written so far, when started with `captureLogs`. */
  logs: string[];
  /** Every response is checked against the OpenAPI document; violations fail `close()`. */
  contract: OpenApiContract;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: EnvOverrides;
  captureLogs?: boolean;
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Extra modules beside AppModule, as an enterprise team would add its own. */
  imports?: ModuleMetadata['imports'];
  /** Reuse a database (a second instance, or a restart). */
  database?: TestDatabase;
}

const TEST_ENV: EnvOverrides = {
  NODE_ENV: 'test',
  JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long',
  LOG_LEVEL: 'silent',
  AUTH_RATE_LIMIT_MAX: '10000',
};

/** Boots the real AppModule over HTTP (Fastify), on a fresh database unless one is given. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const outboxDir = mkdtempSync(join(tmpdir(), 'mgp-outbox-'));
  const env = {
    ...TEST_ENV,
    MAIL_OUTBOX_DIR: outboxDir,
    ...database.env,
    ...(options.captureLogs ? { LOG_LEVEL: 'trace' } : {}),
    ...options.env,
  };
  const config = readConfig(env);
  applyPlatformTuning(config);
  const clock = new FakeClock();
  const logs: string[] = [];
  const sink = options.captureLogs
    ? new Writable({
        write(chunk: Buffer, _encoding, done) {
          logs.push(...chunk.toString().split('\n').filter(Boolean));
          done();
        },
      })
    : undefined;
  const logger = createRootLogger(config.logging, sink);

  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config, logger, options.imports)] })
    .overrideProvider(Clock)
    .useValue(clock);
  if (options.override) builder = options.override(builder);
  const moduleRef = await builder.compile();

  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config, logger), appOptions(nestLoggerFor(logger)));
  await configureApp(app, config);
  const contract = new OpenApiContract(buildOpenApiDocument(app));
  contract.attach(app.getHttpAdapter().getInstance());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  return {
    app,
    http: () => request(app.getHttpServer()),
    dataSource: app.get<DataSource>(getDataSourceToken()),
    clock,
    database,
    logs,
    contract,
    outboxDir,
    mailSettled: () => app.get(MailSender).settled(),
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
      rmSync(outboxDir, { recursive: true, force: true });
      expect(contract.violations).toEqual([]);
    },
  };
}
