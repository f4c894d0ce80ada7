/**
 * ARM's request budget: a token bucket per principal and subscription, reads 250 refilling
 * at 25/s and writes 200 refilling at 10/s (Azure's documented limits). Real time, because
 * the requests are real.
 */
export interface Budget {
  allowed: boolean
  remaining: number
  retryAfterSeconds: number
}

interface Bucket {
  tokens: number
  updated: number
}

const limits = {
  reads: { capacity: 250, perSecond: 25 },
  writes: { capacity: 200, perSecond: 10 },
} as const

export class RateLimiter {
  private buckets = new Map<string, Bucket>()

  constructor(private readonly now: () => number = () => performance.now()) {}

  take(principal: string, subscription: string, kind: 'reads' | 'writes'): Budget {
    const { capacity, perSecond } = limits[kind]
    const key = `${kind}|${principal}|${subscription.toLowerCase()}`
    const now = this.now()
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updated: now }
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updated) / 1000) * perSecond)
    bucket.updated = now
    this.buckets.set(key, bucket)
    if (bucket.tokens < 1) {
      return {
        allowed: false,
        remaining: 0,
        retryAfterSeconds: Math.ceil((1 - bucket.tokens) / perSecond),
      }
    }
    bucket.tokens -= 1
    return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 }
  }

  /** Remaining budget without spending any (for the header on other requests). */
  peek(principal: string, subscription: string, kind: 'reads' | 'writes'): number {
    const bucket = this.buckets.get(`${kind}|${principal}|${subscription.toLowerCase()}`)
    if (!bucket) return limits[kind].capacity
    const { capacity, perSecond } = limits[kind]
    return Math.floor(
      Math.min(capacity, bucket.tokens + ((this.now() - bucket.updated) / 1000) * perSecond),
    )
  }
}
