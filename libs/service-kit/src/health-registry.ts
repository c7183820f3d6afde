import { Injectable } from '@nestjs/common';

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

export type HealthCheck = () => Promise<CheckResult>;

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, CheckResult & { component: string }>;
}

/**
 * Readiness checks registered by each component (database, bus, storage, consumers).
 * In embedded mode one registry serves every service in the process.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, { component: string; check: HealthCheck }>();

  register(name: string, component: string, check: HealthCheck): void {
    this.checks.set(name, { component, check });
  }

  async report(timeoutMs = 2_000): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.entries()].map(async ([name, { component, check }]) => {
        const result = await withTimeout(check(), timeoutMs).catch(
          (e: unknown): CheckResult => ({ ok: false, detail: e instanceof Error ? e.message : String(e) }),
        );
        return [name, { ...result, component }] as const;
      }),
    );
    const checks = Object.fromEntries(entries);
    return { ok: entries.every(([, r]) => r.ok), checks };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`check timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
