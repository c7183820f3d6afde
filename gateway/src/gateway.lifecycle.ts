import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JwtKeysService } from './auth/jwt-keys.service';

/** Loads (or creates on first start) the JWT signing keys before the app serves a request. */
@Injectable()
export class GatewayLifecycle implements OnModuleInit {
  constructor(private readonly keys: JwtKeysService) {}

  async onModuleInit(): Promise<void> {
    await this.keys.start();
  }
}
