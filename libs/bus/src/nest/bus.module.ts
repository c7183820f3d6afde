import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BusExplorer } from './bus-explorer';

/**
 * Import once in the composition root (CoreModule must provide EVENT_BUS and HealthRegistry globally).
 * Discovers @OnEvent/@OnCommand methods on every provider and wires them to the bus at bootstrap.
 */
@Module({ imports: [DiscoveryModule], providers: [BusExplorer] })
export class BusModule {}
