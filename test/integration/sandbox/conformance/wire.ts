import { request } from 'node:https'
import type { TokenCredential } from '@azure/core-auth'
import type { Sandbox } from '../../../../sandbox'

/** One raw HTTPS exchange: what went over the wire, not what an SDK made of it. */
export interface WireResponse {
  status: number
  headers: Record<string, string>
  body: unknown
  text: string
}

export interface WireRequest {
  method: string
  /** Path with query (on the ARM endpoint) or a full URL (the prices endpoint, a Location header). */
  path: string
  body?: unknown
  /** Send without a bearer token (Retail Prices). */
  anonymous?: boolean
  /** Body text sent as it is (not JSON-encoded), e.g. JSON with comments as the Azure CLI sends. */
  raw?: string
}

export class Wire {
  constructor(
    private readonly sandbox: Sandbox,
    private readonly credential: TokenCredential,
  ) {}

  async send(req: WireRequest): Promise<WireResponse> {
    const url = req.path.startsWith('https://')
      ? req.path
      : `${this.sandbox.armEndpoint}${req.path}`
    const payload = req.raw ?? (req.body === undefined ? undefined : JSON.stringify(req.body))
    const headers: Record<string, string | number> = { Accept: 'application/json' }
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json'
      headers['Content-Length'] = Buffer.byteLength(payload)
    }
    if (!req.anonymous) {
      const token = await this.credential.getToken('https://management.azure.com/.default')
      headers.Authorization = `Bearer ${token!.token}`
    }
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        { method: req.method, ca: this.sandbox.caCert, headers },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            let body: unknown
            try {
              body = text ? JSON.parse(text) : undefined
            } catch {
              body = text
            }
            const flat: Record<string, string> = {}
            for (const [key, value] of Object.entries(res.headers)) {
              if (value !== undefined)
                flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
            }
            resolve({ status: res.statusCode ?? 0, headers: flat, body, text })
          })
        },
      )
      outgoing.on('error', reject)
      outgoing.end(payload)
    })
  }

  /**
   * Follows a long-running operation to its end the way ARM clients do (Azure-AsyncOperation
   * first, then Location), moving the sandbox clock on between polls so that simulated work
   * finishes. Returns the last status response, or the final Location response.
   */
  async settle(first: WireResponse, maxPolls = 240): Promise<WireResponse> {
    const asyncUrl = first.headers['azure-asyncoperation']
    const locationUrl = first.headers.location
    if (first.status !== 201 && first.status !== 202) return first
    if (asyncUrl) {
      for (let i = 0; i < maxPolls; i++) {
        this.sandbox.clock.advance(15_000)
        const status = await this.send({ method: 'GET', path: asyncUrl })
        const state = (status.body as { status?: string } | undefined)?.status
        if (
          status.status >= 400 ||
          (state && !['InProgress', 'Accepted', 'Running'].includes(state))
        )
          return status
      }
      throw new Error(`The operation at ${asyncUrl} did not finish`)
    }
    if (locationUrl) {
      for (let i = 0; i < maxPolls; i++) {
        this.sandbox.clock.advance(15_000)
        const status = await this.send({ method: 'GET', path: locationUrl })
        if (status.status !== 202) return status
      }
      throw new Error(`The operation at ${locationUrl} did not finish`)
    }
    return first
  }

  /** Sends, follows the operation, and fails loudly if anything did not succeed. */
  async ensure(req: WireRequest, what: string): Promise<WireResponse> {
    const first = await this.send(req)
    if (first.status >= 300)
      throw new Error(`${what}: ${req.method} ${req.path} answered ${first.status} ${first.text}`)
    const last = await this.settle(first)
    const state = (last.body as { status?: string } | undefined)?.status
    if (last.status >= 300 || (state && state !== 'Succeeded')) {
      throw new Error(`${what}: the operation ended with ${last.status} ${last.text}`)
    }
    return first
  }
}
