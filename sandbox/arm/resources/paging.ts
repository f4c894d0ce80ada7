import type { SandboxReply, SandboxRequest } from '../../core/http'

/** `{ value, nextLink }` pages honouring `$top`, continued with `$skiptoken` as ARM does. */
export function page(req: SandboxRequest, armEndpoint: string, items: unknown[]): SandboxReply {
  const top = Number(req.query('$top') ?? '0')
  const skip = Number(req.query('$skiptoken') ?? '0') || 0
  const size = Number.isInteger(top) && top > 0 ? Math.min(top, 1000) : 1000
  const value = items.slice(skip, skip + size)
  const body: { value: unknown[]; nextLink?: string } = { value }
  if (skip + size < items.length) {
    const next = new URL(req.url.pathname + req.url.search, armEndpoint)
    next.searchParams.set('$skiptoken', String(skip + size))
    body.nextLink = next.toString()
  }
  return { status: 200, body }
}
