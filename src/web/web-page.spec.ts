import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerWebPage, webPageRoot } from './web-page';

@Module({})
class EmptyModule {}

describe('webPageRoot', () => {
  let project: string;
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'web-page-'));
    writeFileSync(join(project, 'package.json'), '{}');
    mkdirSync(join(project, 'src', 'web'), { recursive: true });
    mkdirSync(join(project, 'dist', 'src', 'web'), { recursive: true });
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('finds dist/web from the sources and from the compiled server alike', () => {
    mkdirSync(join(project, 'dist', 'web'));
    writeFileSync(join(project, 'dist', 'web', 'index.html'), '<!doctype html>');
    expect(webPageRoot(join(project, 'src', 'web'))).toBe(join(project, 'dist', 'web'));
    expect(webPageRoot(join(project, 'dist', 'src', 'web'))).toBe(join(project, 'dist', 'web'));
  });

  it('reports a page that has not been built', () => {
    expect(webPageRoot(join(project, 'src', 'web'))).toBeNull();
  });
});

describe('registerWebPage', () => {
  let app: NestFastifyApplication;
  let built: string;
  beforeEach(async () => {
    built = mkdtempSync(join(tmpdir(), 'web-page-built-'));
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>Settings</title>');
    app = await NestFactory.create<NestFastifyApplication>(EmptyModule, new FastifyAdapter(), { logger: false });
  });
  afterEach(async () => {
    await app.close();
    rmSync(built, { recursive: true, force: true });
  });

  it('serves index.html at GET /', async () => {
    await registerWebPage(app, built);
    await app.init();
    const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('<title>Settings</title>');
  });

  it('answers a JSON 503 that says how to build the page when it is missing', async () => {
    await registerWebPage(app, null);
    await app.init();
    const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'service_unavailable',
      message: expect.stringContaining('npm run build:web'),
    });
  });
});
