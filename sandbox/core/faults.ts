import type { Service } from './messages'

/** Which requests a fault applies to. Omitted fields match everything. */
export interface FaultMatch {
  service?: Service
  method?: string
  /** Case-insensitive substring of the request path. */
  pathIncludes?: string
}

export type RequestFault =
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  | { kind: 'reset' }
  | { kind: 'latency'; ms: number }

interface ActiveFault {
  fault: RequestFault
  match: FaultMatch
  /** How many more requests it hits; Infinity until cleared. */
  remaining: number
}

type DomainFault = 'allocationFailure' | 'evictSpot' | 'expireTokens'

/**
 * Deterministic, switchable faults for tests and benchmarks. Request faults are applied by
 * the server before routing; domain faults are taken by the providers that know them
 * (compute for allocation failures and Spot eviction, identity for token expiry).
 */
export class Faults {
  private active: ActiveFault[] = []
  private pending = new Map<DomainFault, number>()
  private listeners = new Map<DomainFault, Array<(arg?: unknown) => void>>()
  private clearListeners = new Set<() => void>()

  /** 429 with Retry-After and the remaining-reads header at 0. */
  throttle(options: { retryAfterSeconds?: number; count?: number } & FaultMatch = {}): void {
    this.add({ kind: 'throttle', retryAfterSeconds: options.retryAfterSeconds ?? 1 }, options)
  }
  /** A burst of 500/503 answers. */
  serverErrors(
    options: { status?: 500 | 502 | 503 | 504; count?: number } & FaultMatch = {},
  ): void {
    this.add({ kind: 'status', status: options.status ?? 503 }, options)
  }
  /** The connection is destroyed without an answer. */
  resetConnections(options: { count?: number } & FaultMatch = {}): void {
    this.add({ kind: 'reset' }, options)
  }
  latency(options: { ms: number; count?: number } & FaultMatch): void {
    this.add({ kind: 'latency', ms: options.ms }, options)
  }
  /** The next `count` VM allocations fail with AllocationFailed. */
  allocationFailure(count = 1): void {
    this.pending.set('allocationFailure', (this.pending.get('allocationFailure') ?? 0) + count)
  }
  /** Every token issued so far is treated as expired. */
  expireTokens(): void {
    this.emit('expireTokens')
  }
  /** Evicts running Spot instances (all, or those of one scale set by resource id). */
  evictSpot(scaleSetId?: string): void {
    this.emit('evictSpot', scaleSetId)
  }
  /** Ends every fault, including the latency of requests waiting now. */
  clear(): void {
    this.active = []
    this.pending.clear()
    for (const listener of [...this.clearListeners]) listener()
  }

  // ---- used by the sandbox itself ----

  /** The fault for this request, if any; consumes one use of it. */
  takeRequestFault(service: Service, method: string, path: string): RequestFault | undefined {
    const lowerPath = path.toLowerCase()
    const hit = this.active.find(
      ({ match }) =>
        (!match.service || match.service === service) &&
        (!match.method || match.method.toUpperCase() === method) &&
        (!match.pathIncludes || lowerPath.includes(match.pathIncludes.toLowerCase())),
    )
    if (!hit) return undefined
    hit.remaining -= 1
    if (hit.remaining <= 0) this.active = this.active.filter((f) => f !== hit)
    return hit.fault
  }

  /** True (and consumed) if a domain fault is pending. */
  take(kind: 'allocationFailure'): boolean {
    const left = this.pending.get(kind) ?? 0
    if (left <= 0) return false
    this.pending.set(kind, left - 1)
    return true
  }

  /** Calls `listener` at the next clear(); returns how to stop listening. */
  onClear(listener: () => void): () => void {
    this.clearListeners.add(listener)
    return () => this.clearListeners.delete(listener)
  }

  on(kind: DomainFault, listener: (arg?: unknown) => void): void {
    this.listeners.set(kind, [...(this.listeners.get(kind) ?? []), listener])
  }

  private emit(kind: DomainFault, arg?: unknown): void {
    for (const listener of this.listeners.get(kind) ?? []) listener(arg)
  }

  private add(fault: RequestFault, options: { count?: number } & FaultMatch): void {
    const { count, service, method, pathIncludes } = options
    this.active.push({
      fault,
      match: {
        ...(service ? { service } : {}),
        ...(method ? { method } : {}),
        ...(pathIncludes ? { pathIncludes } : {}),
      },
      remaining: count ?? Infinity,
    })
  }
}
