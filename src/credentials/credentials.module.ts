import { Global, Module } from '@nestjs/common';
import { InvalidationBus } from './invalidation-bus';

/**
 * How a request is authenticated, as machinery: the guard, the seam to the
 * verifiers, the per-connection memo, coherent caches and their bus. The
 * auth module composes the features' verifiers behind the seam and installs
 * the guard; features subscribe their caches to the bus.
 */
@Global()
@Module({ providers: [InvalidationBus], exports: [InvalidationBus] })
export class CredentialsModule {}
