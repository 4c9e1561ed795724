import { RateLimitedError } from "@oratio/core";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export interface RateLimitConfig {
  perIp: number;
  perKey: number;
  authPerIp: number;
}

/**
 * Fixed one-minute windows per client IP, per API key, and a stricter one per IP for the
 * credential endpoints (login, sign-up, refresh) to slow password guessing. In-memory for
 * one instance; rate-limiter-flexible offers the same interface backed by Redis.
 */
export class RateLimits {
  private readonly ip: RateLimiterMemory;
  private readonly key: RateLimiterMemory;
  private readonly auth: RateLimiterMemory;

  constructor(config: RateLimitConfig) {
    this.ip = new RateLimiterMemory({ points: config.perIp, duration: 60 });
    this.key = new RateLimiterMemory({ points: config.perKey, duration: 60 });
    this.auth = new RateLimiterMemory({ points: config.authPerIp, duration: 60 });
  }

  consumeIp(ip: string): Promise<void> {
    return consume(this.ip, ip);
  }
  consumeKey(apiKeyId: string): Promise<void> {
    return consume(this.key, apiKeyId);
  }
  consumeAuth(ip: string): Promise<void> {
    return consume(this.auth, ip);
  }
}

async function consume(limiter: RateLimiterMemory, id: string): Promise<void> {
  try {
    await limiter.consume(id);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
    throw rejection;
  }
}
