import { Controller, Get, Inject, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Authenticated, Public, RequiresNoScope } from '../../src/credentials/auth.decorators';
import { CurrentPrincipal } from '../../src/credentials/current-principal.decorator';
import { Principal } from '../../src/credentials/principal';
import { QueryCounter } from './query-counter';

const QUERY_COUNTER = 'bench:query-counter';

/**
 * Routes for `npm run bench`, mounted only by the bench's server (and the
 * tests that measure the same thing): a public and an authenticated route
 * with the same handler (the public one simply has no principal), so that
 * their throughput ratio is the cost of authentication; and the counters the
 * bench reads.
 */
@ApiExcludeController()
@Controller('bench')
export class BenchController {
  constructor(@Inject(QUERY_COUNTER) private readonly counter: QueryCounter) {}

  @Get('public')
  @Public()
  open(@CurrentPrincipal() principal: Principal | undefined): { method: string | null } {
    return { method: principal?.method ?? null };
  }

  @Get('authenticated')
  @Authenticated()
  @RequiresNoScope()
  authenticated(@CurrentPrincipal() principal: Principal): { method: string | null } {
    return { method: principal.method };
  }

  @Get('stats')
  @Public()
  stats(): { queries: number; rss_bytes: number; cpu_us: number } {
    const cpu = process.cpuUsage();
    return { queries: this.counter.queries, rss_bytes: process.memoryUsage().rss, cpu_us: cpu.user + cpu.system };
  }
}

@Module({
  controllers: [BenchController],
  providers: [
    {
      provide: QUERY_COUNTER,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => QueryCounter.install(dataSource),
    },
  ],
})
export class BenchModule {}
