import { FastifyBaseLogger } from 'fastify';
import { Bindings, ChildLoggerOptions, LevelWithSilentOrString, LogFn } from 'pino';

type LogMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Fastify gives every request a child logger bound to its id. A pino child
 * costs about 1.5 µs to build (bindings serialised, redaction and level set
 * up), on every request, and most requests never log through it: the access
 * log goes through the root logger (AccessLog). This logger builds the real
 * child the first time something logs through it, with the same bindings.
 */
export class LazyChildLogger implements FastifyBaseLogger {
  private built?: FastifyBaseLogger;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  /** For Fastify's `childLoggerFactory` option. */
  static factory(this: void, parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
    return new LazyChildLogger(parent, bindings, options);
  }

  get level(): LevelWithSilentOrString {
    return this.built?.level ?? this.parent.level;
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

  private get logger(): FastifyBaseLogger {
    return (this.built ??= this.parent.child(this.bindings, this.options));
  }

  private log(method: LogMethod, args: unknown[]): void {
    // Whatever Fastify or a module passed, passed on as it came.
    this.logger[method](...(args as Parameters<LogFn>));
  }
}
