import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Authenticated, Public } from '../common/decorators/auth.decorators';
import { CurrentPrincipal } from '../common/decorators/current-principal.decorator';
import { Principal } from '../common/principal';
import { QueryCountingLogger } from '../database/query-counting.logger';

/**
 * Routes for `npm run bench`, mounted only with BENCH_ROUTES=true: a public
 * and an authenticated route with the same handler (the public one simply has
 * no principal), so that their throughput ratio is the cost of
 * authentication; and the counters the bench reads.
 */
@ApiExcludeController()
@Controller('bench')
export class BenchController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('public')
  @Public()
  open(@CurrentPrincipal() principal: Principal | undefined): { method: string | null } {
    return { method: principal?.method ?? null };
  }

  @Get('authenticated')
  @Authenticated()
  authenticated(@CurrentPrincipal() principal: Principal): { method: string | null } {
    return { method: principal.method };
  }

  @Get('stats')
  @Public()
  stats(): { queries: number; rss_bytes: number; cpu_us: number } {
    const cpu = process.cpuUsage();
    return {
      queries: (this.dataSource.logger as QueryCountingLogger).queries,
      rss_bytes: process.memoryUsage().rss,
      cpu_us: cpu.user + cpu.system,
    };
  }
}
