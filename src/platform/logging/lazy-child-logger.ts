import { FastifyBaseLogger } from 'fastify';
import { Bindings, ChildLoggerOptions, LevelWithSilentOrString, LogFn, Logger } from 'pino';

type LogMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Fastify gives every request a child logger bound to its id, and building a
 * pino child costs more than verifying an API key, while most requests never
 * log through it (the access log goes through the root logger). This logger
 * builds the real child the first time something uses it, with the same
 * bindings and options, and passes everything on. TUNE_LAZY_REQUEST_LOGGER.
 */
export class LazyChildLogger implements FastifyBaseLogger {
  // Private names that cannot shadow pino's own members (`bindings()`, say).
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #built?: Logger;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    // Fastify's logger here is always the service's pino logger (see createAdapter).
    this.#parent = parent as Logger;
    this.#bindings = bindings;
    this.#options = options;
  }

  /** For Fastify's `childLoggerFactory` option. */
  static factory(this: void, parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
    return new LazyChildLogger(parent, bindings, options);
  }

  /** A route's own `logLevel` arrives in the options. */
  get level(): LevelWithSilentOrString {
    return this.#built?.level ?? (this.#options.level || this.#parent.level);
  }

  set level(level: LevelWithSilentOrString) {
    this.logger.level = level;
  }

  // Methods on the prototype, not arrow properties: nothing is allocated per request but the object itself.
  fatal(...args: unknown[]): void {
    this.log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.log('error', args);
  }
  warn(...args: unknown[]): void {
    this.log('warn', args);
  }
  info(...args: unknown[]): void {
    this.log('info', args);
  }
  debug(...args: unknown[]): void {
    this.log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.log('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }

  // The rest of pino's logger, for code that expects a pino child on request.log.
  isLevelEnabled(level: string): boolean {
    const values = this.#parent.levels.values;
    return this.#built ? this.#built.isLevelEnabled(level) : values[level] >= values[this.level];
  }
  bindings(): Bindings {
    return this.logger.bindings();
  }
  setBindings(bindings: Bindings): void {
    this.logger.setBindings(bindings);
  }
  flush(callback?: (error?: Error) => void): void {
    this.logger.flush(callback);
  }
  get levelVal(): number {
    return this.#built?.levelVal ?? this.#parent.levels.values[this.level];
  }
  get msgPrefix(): string | undefined {
    return this.logger.msgPrefix;
  }

  private get logger(): Logger {
    return (this.#built ??= this.#parent.child(this.#bindings, this.#options));
  }

  private log(method: LogMethod, args: unknown[]): void {
    // Whatever Fastify or a module passed, passed on as it came.
    this.logger[method](...(args as Parameters<LogFn>));
  }
}
