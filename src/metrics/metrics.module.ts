import { Module } from '@nestjs/common';
import { Metrics } from './metrics';

/** Prometheus metrics: counted on every request, served on METRICS_PORT only when it is set. */
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
