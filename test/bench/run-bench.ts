/**
 * `npm run bench [-- --embedded] [-- --env NAME=value ...]`: measures what
 * the routes users call cost, against a trivial public route.
 *
 * Boots the built service as its own process (on a fresh database on the
 * local PostgreSQL server, or on the embedded one) with the bench's routes
 * (bench-server.ts), and drives it with autocannon over 127.0.0.1, each phase
 * bounded in time:
 *   (a) a trivial public route, (b) `GET /v1/auth/whoami` with an API key,
 *   (c) the same with a session JWT, (s) with a key of two scopes, (m) `GET /v1/users/me`, (l) `GET
 *   /v1/api-keys` (database-bound: reported, not a target), all side by side
 *   in one run (interleaved-load.ts); (d) a flood of random `mgp_` keys;
 *   (e) (b) while 20 concurrent logins run.
 * Prints req/s, p50, p99, database queries and service CPU per request for
 * each, the ratios, and the service's RSS; writes the table to BENCHMARKS.md.
 * `--env TUNE_CONNECTION_MEMO=false` (say) runs the service with a setting
 * changed, to measure one trick again; such a run is not written to the file,
 * unless `--record` asks for its own section (`--env METRICS_PORT=9464 --record`:
 * the cost of metrics).
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { ROOT, startAppProcess } from '../support/app-process';
import { measureInterleaved } from './interleaved-load';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PHASE_SECONDS = 3;
const WARMUP_SECONDS = 2;
/** (a), (b) and (c) take turns in one run, a slot each (see interleaved-load.ts). */
const SLOT_MS = 50;
const WARMUP_SLOTS = 60;
const MEASURED_SLOTS = 1200;
/** (e) is measured this many times, each with the logins started afresh and given time to get going, and to finish. */
const LOGIN_ROUNDS = 3;
const LOGIN_SETTLE_MS = 1000;
const CONNECTIONS = 32;
const CONCURRENT_LOGINS = 20;
/** Keys the bench user holds, which (l) lists. */
const LISTED_KEYS = 5;

interface Phase {
  name: string;
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  queriesPerRequest: number;
  /** The service's own CPU time per request: the cost of the work, whatever the load generator's share of the cores. */
  cpuMicrosPerRequest: number;
  non2xx: number;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The service runs as the Docker image runs it: with the environment its Dockerfile sets. */
const PRODUCTION_ENV = dockerImageEnv();

/** `--env NAME=value` pairs: settings that differ from the Docker image's, for measuring one trick again. */
function changedSettings(): Record<string, string> {
  const changed: Record<string, string> = {};
  process.argv.forEach((arg, i) => {
    if (arg !== '--env') return;
    const pair = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(process.argv[i + 1] ?? '');
    if (!pair) throw new Error(`--env takes NAME=value, not ${process.argv[i + 1]}`);
    changed[pair[1]] = pair[2];
  });
  return changed;
}

async function main(): Promise<void> {
  const embedded = process.argv.includes('--embedded');
  const changed = changedSettings();
  const database = embedded ? embeddedDatabase() : await serverDatabase();
  const service = await startAppProcess(
    {
      ...database.env,
      ...PRODUCTION_ENV,
      AUTH_RATE_LIMIT_MAX: '1000000',
      JWT_SECRET: randomBytes(32).toString('hex'),
      MAIL_OUTBOX_ONLY: 'true',
      ...changed,
    },
    'bench',
  );
  try {
    const base = service.url;
    const password = 'bench password 123';
    const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
    const session = await post(base, '/v1/auth/signup', { email, password });
    const accessToken = session.access_token as string;
    const apiKey = (await post(base, '/v1/api-keys', { name: 'bench' }, accessToken)).key as string;
    const scopedKey = (await post(base, '/v1/api-keys', { name: 'bench scoped', scopes: ['users:read', 'api_keys:read'] }, accessToken)).key as string;
    // A list of a few keys, as a user's would be.
    for (let i = 2; i < LISTED_KEYS; i++) await post(base, '/v1/api-keys', { name: `bench ${i}` }, accessToken);

    const samples = new Map<string, PhaseRecord>();
    const measure = async (name: string, label: string, path: string, options: Partial<autocannon.Options> = {}) => {
      const sample = samples.get(name) ?? { label, results: [], responses: 0, queries: 0, cpuMicros: 0 };
      if (sample.results.length === 0) await run(`${base}${path}`, { ...options, duration: WARMUP_SECONDS });
      const before = await stats(base);
      const result = await run(`${base}${path}`, { ...options, duration: PHASE_SECONDS });
      const after = await stats(base);
      // The two stats calls themselves run no query.
      sample.queries += after.queries - before.queries;
      sample.cpuMicros += after.cpu_us - before.cpu_us;
      sample.responses += result.requests;
      sample.results.push(result);
      samples.set(name, sample);
      say(`  ${name} ${label}: ${Math.round(result.requests / result.seconds)} req/s, p99 ${result.p99.toFixed(2)} ms`);
      return result;
    };

    say(`Benchmark on ${embedded ? 'the embedded database (PGlite)' : 'PostgreSQL'}`);
    const route = '/v1/auth/whoami';
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const sideBySide = await measureInterleaved({
      base,
      routes: {
        a: { method: 'GET', path: '/bench/public' },
        b: { method: 'GET', path: route, headers: bearer(apiKey) },
        c: { method: 'GET', path: route, headers: bearer(accessToken) },
        s: { method: 'GET', path: route, headers: bearer(scopedKey) },
        m: { method: 'GET', path: '/v1/users/me', headers: bearer(apiKey) },
        l: { method: 'GET', path: '/v1/api-keys', headers: bearer(apiKey) },
      },
      connections: CONNECTIONS,
      slotMs: SLOT_MS,
      warmupSlots: WARMUP_SLOTS,
      measuredSlots: MEASURED_SLOTS,
      readCounters: async () => {
        const { queries, cpu_us: cpuMicros } = await stats(base);
        return { queries, cpuMicros };
      },
    });
    const labels = {
      a: 'public route (trivial)',
      b: 'whoami, API key',
      c: 'whoami, session JWT',
      s: 'whoami, API key with 2 scopes',
      m: 'GET /v1/users/me, API key',
      l: `GET /v1/api-keys (${LISTED_KEYS} keys), API key`,
    };
    for (const [name, sample] of Object.entries(sideBySide)) {
      const result = { ...sample, ...percentiles(sample.latencies) };
      samples.set(name, {
        label: labels[name as keyof typeof labels],
        results: [result],
        responses: sample.responses,
        queries: sample.counters.queries,
        cpuMicros: sample.counters.cpuMicros,
      });
      say(`  ${name} ${samples.get(name)!.label}: ${Math.round(throughput(result))} req/s, p99 ${result.p99.toFixed(2)} ms`);
    }
    const measureB = () => measure('e0', 'whoami, API key, just before each (e)', route, { headers: bearer(apiKey) });
    const pairedRatios: number[] = [];
    await measure('d', 'random mgp_ keys', route, {
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            headers: { authorization: `Bearer mgp_${randomBytes(20).toString('hex')}` },
          }),
        },
      ],
    });
    let loginCount = 0;
    for (let round = 0; round < LOGIN_ROUNDS; round++) {
      const withoutLogins = await measureB();
      const logins = startLogins(base, email, password);
      await new Promise((resolve) => setTimeout(resolve, LOGIN_SETTLE_MS));
      const withLogins = await measure('e', `whoami, API key, during ${CONCURRENT_LOGINS} concurrent logins`, route, {
        headers: bearer(apiKey),
      });
      loginCount += await logins.stop();
      pairedRatios.push(withLogins.p99 / withoutLogins.p99);
      // Stopping drops the logins in flight, which the service still finishes: not during the next (e0).
      await new Promise((resolve) => setTimeout(resolve, LOGIN_SETTLE_MS));
    }
    const { rss_bytes: rss } = await stats(base);

    const phases = [...samples].map(([name, sample]) => summarise(name, sample));
    const byName = Object.fromEntries(phases.map((phase) => [phase.name, phase]));
    const ratios = {
      'b/a': throughput(sideBySide.b) / throughput(sideBySide.a),
      'c/a': throughput(sideBySide.c) / throughput(sideBySide.a),
      's/a': throughput(sideBySide.s) / throughput(sideBySide.a),
      'm/a': throughput(sideBySide.m) / throughput(sideBySide.a),
      'l/a': throughput(sideBySide.l) / throughput(sideBySide.a),
      '(e)p99/(b)p99': median(pairedRatios),
      'cpu a/b': byName.a.cpuMicrosPerRequest / byName.b.cpuMicrosPerRequest,
      'cpu a/c': byName.a.cpuMicrosPerRequest / byName.c.cpuMicrosPerRequest,
    };
    const report = renderReport(phases, ratios, {
      mode: embedded ? 'Embedded (PGlite)' : 'PostgreSQL server',
      rssMb: rss / 2 ** 20,
      loginCount,
      changed,
    });
    say(`\n${report}`);
    if (Object.keys(changed).length === 0 || process.argv.includes('--record')) writeBenchmarks(report);
    else say('(Not written to BENCHMARKS.md: the service ran with changed settings; --record writes a section of its own.)');
  } finally {
    await service.stop();
    await database.drop();
  }
}

/** The `ENV name=value` lines of the Dockerfile's final stage; anything it cannot read fails the run. */
function dockerImageEnv(): Record<string, string> {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const finalStage = dockerfile.split(/^FROM\s/im).at(-1)!;
  const env: Record<string, string> = {};
  for (const line of finalStage.split('\n').filter((text) => /^\s*ENV\s/i.test(text))) {
    const pair = /^\s*ENV\s+(\w+)=(?:"([^"]*)"|([^\s"\\]*))\s*$/i.exec(line);
    if (!pair) throw new Error(`Cannot read this Dockerfile line (one ENV name=value per line): ${line}`);
    env[pair[1]] = pair[2] ?? pair[3];
  }
  if (env.NODE_ENV !== 'production') throw new Error('The Dockerfile\'s final stage does not set NODE_ENV=production');
  return env;
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const throughput = (run: { requests: number; seconds: number }) => run.requests / run.seconds;

/** What a phase's runs gave: queries and CPU time are counted over all of its responses. */
interface PhaseRecord {
  label: string;
  results: Run[];
  responses: number;
  queries: number;
  cpuMicros: number;
}

/** Throughput and latency percentiles as the median of a phase's runs; queries and CPU per response over all of them. */
function summarise(name: string, { label, results, responses, queries, cpuMicros }: PhaseRecord): Phase {
  return {
    name,
    label,
    requestsPerSecond: median(results.map(throughput)),
    p50: median(results.map((result) => result.p50)),
    p99: median(results.map((result) => result.p99)),
    queriesPerRequest: responses ? queries / responses : 0,
    cpuMicrosPerRequest: responses ? cpuMicros / responses : 0,
    non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
  };
}

const BENCHMARKS_HEADER = `# Benchmarks

Written by \`npm run bench\` (PostgreSQL server) and \`npm run bench -- --embedded\`.

Reading the ratios: (a), (b) and (c) are measured side by side, the same
connections switching route every ${SLOT_MS} ms, because on a shared machine
throughput drifts by 10–25% from one quarter second to the next. Measured one
after the other, even in rotating rounds of 3 s, the same build gave b/a
anywhere from 0.83 to 0.96. Interleaved, the public route with and without an
(unread) Authorization header came out within 0.03 of each other. Every route
follows every other equally often, so what one leaves behind (garbage to
collect, say) does not fall on one route more than another.

The load generator shares the machine's cores with the service, and every
response the service writes wakes it when it is asleep. On a virtual machine
whose idle cores halt (the \`cpuidle\` note below), each such wakeup costs the
service an exit to the hypervisor. A route that costs the service more then
leaves the load generator idle more often, and pays for more wakeups: measured
on such a machine, 3 µs of extra work per request cost about 7 µs. b/a and c/a
understate there. With the same build on such a machine, letting idle cores
poll for 200 µs (\`guest_halt_poll_ns=200000\`) moved b/a from 0.79 to 0.87 in
this bench, and from 0.85 to 0.90 with autocannon alone.
`;

/** BENCHMARKS.md keeps one section per database; a run replaces its own. */
function writeBenchmarks(section: string): void {
  const file = join(ROOT, 'BENCHMARKS.md');
  const heading = section.split('\n')[0];
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const sections = existing
    .split(/^(?=## )/m)
    .filter((part) => part.startsWith('## ') && part.split('\n')[0] !== heading);
  const body = [...sections.map((part) => part.trimEnd()), section.trimEnd()].sort().join('\n\n');
  writeFileSync(file, `${BENCHMARKS_HEADER}\n${body}\n`);
}

function renderReport(
  phases: Phase[],
  ratios: Record<string, number>,
  run: { mode: string; rssMb: number; loginCount: number; changed: Record<string, string> },
): string {
  const changed = Object.entries(run.changed).map(([name, value]) => `${name}=${value}`);
  const cpu = cpus();
  const lines = [
    `## ${run.mode}${changed.length > 0 ? `, with ${changed.join(', ')}` : ''}`,
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpu.length} × ${cpu[0]?.model.trim()}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB${cpuIdle()}, Node ${process.version}, database: ${run.mode}.`,
    `The service runs as the Docker image runs it (${Object.entries(PRODUCTION_ENV).map(([k, v]) => `${k}=${v}`).join(', ')})` +
      `${changed.length > 0 ? `, with ${changed.join(', ')}` : ''}. ` +
      `autocannon on 127.0.0.1, ${CONNECTIONS} connections. (a), (b), (c), (s), (m) and (l) side by side in one run: the ` +
      `connections switch route every ${SLOT_MS} ms, each route following every other equally often, for ${(MEASURED_SLOTS * SLOT_MS) / 1000} s ` +
      `after ${(WARMUP_SLOTS * SLOT_MS) / 1000} s of warm-up; b/a, c/a, s/a, m/a and l/a are ratios of their req/s. (d) and (e) ` +
      `warmed up for ${WARMUP_SECONDS} s, then measured for ${PHASE_SECONDS} s; (e) ${LOGIN_ROUNDS} times, each ` +
      `round paired with an (e0) run just before the logins start (req/s and latency: the median run; ` +
      `(e)p99/(b)p99: the median of the ratios within a round).`,
    '',
    '| phase | what | req/s | p50 ms | p99 ms | DB queries / request | service CPU µs / request | non-2xx |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...phases.map(
      (p) =>
        `| ${p.name} | ${p.label} | ${Math.round(p.requestsPerSecond)} | ${p.p50.toFixed(2)} | ${p.p99.toFixed(2)} | ` +
        `${p.queriesPerRequest.toFixed(3)} | ${Math.round(p.cpuMicrosPerRequest)} | ${p.non2xx} |`,
    ),
    '',
    '| ratio | value | target |',
    '|---|---:|---|',
    `| b/a (whoami, API key) | ${ratios['b/a'].toFixed(2)} | ≥ 0.90 |`,
    `| c/a (whoami, session JWT) | ${ratios['c/a'].toFixed(2)} | ≥ 0.90 |`,
    `| s/a (whoami, scoped API key) | ${ratios['s/a'].toFixed(2)} | ≥ 0.90 |`,
    `| m/a (GET /v1/users/me) | ${ratios['m/a'].toFixed(2)} | ≥ 0.90 |`,
    `| l/a (GET /v1/api-keys) | ${ratios['l/a'].toFixed(2)} | (database-bound: reported) |`,
    `| (e)p99/(b)p99 | ${ratios['(e)p99/(b)p99'].toFixed(2)} | ≤ 2 |`,
    `| CPU per request, a/b | ${ratios['cpu a/b'].toFixed(2)} | (the share of b's service CPU that is not authentication) |`,
    `| CPU per request, a/c | ${ratios['cpu a/c'].toFixed(2)} | |`,
    '',
    `Service RSS after the run: ${Math.round(run.rssMb)} MB. Logins completed during (e): ${run.loginCount}.`,
    '(d) sends `mgp_` + 40 random hex characters: the checksum rejects them before any cache or database.',
    '',
  ];
  return lines.join('\n');
}

/**
 * How this machine's idle cores sleep, where Linux tells: with the haltpoll
 * driver and no polling, a virtual core that goes idle halts, and waking the
 * load generator there costs the service a VM exit (see BENCHMARKS.md).
 */
function cpuIdle(): string {
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  const driver = read('/sys/devices/system/cpu/cpuidle/current_driver');
  if (!driver) return '';
  const pollNs = driver === 'haltpoll' ? read('/sys/module/haltpoll/parameters/guest_halt_poll_ns') : undefined;
  return `, cpuidle ${driver}${pollNs === undefined ? '' : ` (guest_halt_poll_ns=${pollNs})`}`;
}

/** One autocannon run, with every response's latency percentiles kept at full precision. */
interface Run {
  requests: number;
  seconds: number;
  non2xx: number;
  p50: number;
  p99: number;
}

/**
 * autocannon's own percentiles are whole milliseconds, too coarse for a ratio
 * of two p99s around 2 ms; its 'response' events carry the exact times.
 */
async function run(url: string, options: Partial<autocannon.Options>): Promise<Run> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, ...options }, (error, done) =>
      error ? reject(error as Error) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, milliseconds) => latencies.push(milliseconds));
  });
  return { requests: result.requests.total, seconds: result.duration, non2xx: result.non2xx, ...percentiles(latencies) };
}

function percentiles(latencies: number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((x, y) => x - y);
  const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  return { p50: percentile(0.5), p99: percentile(0.99) };
}

async function post(base: string, path: string, body: object, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

interface ServiceStats {
  queries: number;
  rss_bytes: number;
  cpu_us: number;
}

async function stats(base: string): Promise<ServiceStats> {
  return (await (await fetch(`${base}/bench/stats`)).json()) as ServiceStats;
}

/**
 * CONCURRENT_LOGINS clients logging in back to back until stopped: autocannon
 * connections, in a thread of their own. On autocannon's event loop, their
 * client work would delay its reading of responses and show up as the
 * service's latency. With fetch, each login cost the client about 1.5 ms of
 * CPU, and the client thread held a core for milliseconds at a time, which
 * the service's p99 then showed.
 */
function startLogins(base: string, email: string, password: string): { stop(): Promise<number> } {
  const worker = new Worker(LOGIN_CLIENTS, {
    eval: true,
    workerData: {
      autocannon: require.resolve('autocannon'),
      url: `${base}/v1/auth/login`,
      body: JSON.stringify({ email, password }),
      clients: CONCURRENT_LOGINS,
    },
  });
  const finished = new Promise<number>((resolve, reject) => {
    worker.once('message', (outcome: { logins: number } | { error: string }) =>
      'error' in outcome ? reject(new Error(`logins: ${outcome.error}`)) : resolve(outcome.logins),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the login thread exited (${code}) without a result`)));
  });
  // The first failed login rejects at once, before stop() is called; stop() still reports it.
  finished.catch(() => undefined);
  return {
    stop: () => {
      worker.postMessage('stop');
      return finished;
    },
  };
}

const LOGIN_CLIENTS = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require(workerData.autocannon);
let failure;
const fail = (error) => {
  if (failure) return;
  failure = error;
  parentPort.postMessage({ error });
  logins.stop();
};
const logins = autocannon(
  {
    url: workerData.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: workerData.body,
    connections: workerData.clients,
    duration: 3600,
  },
  (error, result) => {
    if (error) return fail(error.message);
    // autocannon counts timeouts among errors.
    const failed = result.non2xx + result.errors;
    if (failed > 0) return fail(failed + ' of ' + (result['2xx'] + failed) + ' failed');
    if (!failure) parentPort.postMessage({ logins: result['2xx'] });
  },
);
logins.on('response', (_client, statusCode) => {
  if (statusCode < 200 || statusCode > 299) fail('a login was answered ' + statusCode);
});
logins.on('reqError', (error) => fail(error.message));
parentPort.once('message', () => logins.stop());
// Once autocannon has stopped, for whatever reason, nothing is left to wait for.
parentPort.unref();
`;

function embeddedDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'magpipe-bench-'));
  return { env: { DATA_DIR: dir, DATABASE_URL: '' }, drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
}

async function serverDatabase() {
  const name = `magpipe_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
