/**
 * Cost Management's own limits, much stricter than ARM's: a few queries per scope per minute
 * ("entity") and a budget of query processing units (QPU) per tenant (12 per 10 seconds,
 * 60 per minute, 600 per hour; one QPU per month of data). Real time, like ARM's buckets.
 */
export interface CostThrottleDecision {
  allowed: boolean
  /** Headers for the reply, throttled or not. */
  headers: Record<string, string>
}

interface Window {
  lengthMs: number
  limit: number
}

const entityWindow: Window = { lengthMs: 60_000, limit: 4 }
const qpuWindows: Record<'tenSeconds' | 'minute' | 'hour', Window> = {
  tenSeconds: { lengthMs: 10_000, limit: 12 },
  minute: { lengthMs: 60_000, limit: 60 },
  hour: { lengthMs: 3_600_000, limit: 600 },
}
const prefix = 'x-ms-ratelimit-microsoft.costmanagement'

/** Timestamps (and weights) of accepted requests inside a sliding window. */
class SlidingLog {
  private entries: Array<{ at: number; weight: number }> = []

  used(now: number, window: Window): number {
    return this.entries
      .filter((e) => e.at > now - window.lengthMs)
      .reduce((sum, e) => sum + e.weight, 0)
  }

  /** Seconds until `weight` more fits in the window. */
  waitSeconds(now: number, window: Window, weight: number): number {
    let used = this.used(now, window)
    for (const entry of this.entries.filter((e) => e.at > now - window.lengthMs)) {
      if (used + weight <= window.limit) break
      used -= entry.weight
      const freeAt = entry.at + window.lengthMs
      if (used + weight <= window.limit) return Math.max(1, Math.ceil((freeAt - now) / 1000))
    }
    return 1
  }

  add(now: number, weight: number, keepMs: number): void {
    this.entries = this.entries.filter((e) => e.at > now - keepMs)
    this.entries.push({ at: now, weight })
  }
}

export class CostQueryThrottle {
  private readonly entities = new Map<string, SlidingLog>()
  private readonly tenants = new Map<string, SlidingLog>()

  constructor(private readonly now: () => number = () => performance.now()) {}

  take(tenantId: string, scope: string, qpu: number): CostThrottleDecision {
    const now = this.now()
    const entity = this.logOf(this.entities, scope.toLowerCase())
    const tenant = this.logOf(this.tenants, tenantId.toLowerCase())
    const entityUsed = entity.used(now, entityWindow)
    const headers: Record<string, string> = {}

    if (entityUsed + 1 > entityWindow.limit) {
      const wait = entity.waitSeconds(now, entityWindow, 1)
      return this.throttled(headers, 'entity', wait, tenant, now, 0)
    }
    for (const window of Object.values(qpuWindows)) {
      if (tenant.used(now, window) + qpu > window.limit) {
        const wait = tenant.waitSeconds(now, window, qpu)
        return this.throttled(headers, 'qpu', wait, tenant, now, entityWindow.limit - entityUsed)
      }
    }
    entity.add(now, 1, entityWindow.lengthMs)
    tenant.add(now, qpu, qpuWindows.hour.lengthMs)
    headers[`${prefix}-qpu-consumed`] = String(qpu)
    headers[`${prefix}-qpu-remaining`] = this.qpuRemaining(tenant, now)
    headers['x-ms-ratelimit-remaining-microsoft.costmanagement-entity-requests'] =
      `DefaultQuota:${entityWindow.limit - entityUsed - 1}`
    return { allowed: true, headers }
  }

  private throttled(
    headers: Record<string, string>,
    which: 'entity' | 'qpu',
    waitSeconds: number,
    tenant: SlidingLog,
    now: number,
    entityRemaining: number,
  ): CostThrottleDecision {
    headers['Retry-After'] = String(waitSeconds)
    headers[`${prefix}-${which}-retry-after`] = String(waitSeconds)
    headers[`${prefix}-qpu-consumed`] = '0'
    headers[`${prefix}-qpu-remaining`] = this.qpuRemaining(tenant, now)
    headers['x-ms-ratelimit-remaining-microsoft.costmanagement-entity-requests'] =
      `DefaultQuota:${Math.max(0, entityRemaining)}`
    return { allowed: false, headers }
  }

  private qpuRemaining(tenant: SlidingLog, now: number): string {
    const left = (window: Window) => Math.max(0, window.limit - tenant.used(now, window))
    return `QueriesPerHour:${left(qpuWindows.hour)},QueriesPerMin:${left(qpuWindows.minute)},QueriesPer10Sec:${left(qpuWindows.tenSeconds)}`
  }

  private logOf(map: Map<string, SlidingLog>, key: string): SlidingLog {
    let log = map.get(key)
    if (!log) {
      log = new SlidingLog()
      map.set(key, log)
    }
    return log
  }
}
