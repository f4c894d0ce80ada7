import { request } from 'node:https'

export interface HttpReply {
  status: number
  headers: Record<string, string | undefined>
  text: string
}

/** GET a URL; rejects only when no answer arrives (network down, refused, timed out). */
export type HttpGet = (url: string) => Promise<HttpReply>

export interface HttpsGetOptions {
  /** CA certificate (PEM) to trust in addition to nothing else: the sandbox's. */
  ca?: string | undefined
  timeoutMs?: number
}

/**
 * GET over HTTPS with Node's own client, so that a private CA (the sandbox's) can be trusted
 * per request. Node's global fetch takes a CA only through an undici dispatcher from a
 * separate package or process-wide settings, which would trust the sandbox everywhere.
 */
export function httpsGet(options: HttpsGetOptions = {}): HttpGet {
  const timeoutMs = options.timeoutMs ?? 20_000
  return (url) =>
    new Promise((resolve, reject) => {
      const target = new URL(url)
      if (target.protocol !== 'https:') {
        reject(new Error(`Prices are only read over https (${target.origin})`))
        return
      }
      const req = request(
        target,
        {
          method: 'GET',
          headers: { Accept: 'application/json' },
          ...(options.ca ? { ca: options.ca } : {}),
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () => {
            const headers: Record<string, string | undefined> = {}
            for (const [name, value] of Object.entries(res.headers)) {
              headers[name] = Array.isArray(value) ? value.join(', ') : value
            }
            resolve({
              status: res.statusCode ?? 0,
              headers,
              text: Buffer.concat(chunks).toString('utf8'),
            })
          })
          res.on('error', reject)
        },
      )
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('Request timed out'), { code: 'ETIMEDOUT' })),
      )
      req.on('error', reject)
      req.end()
    })
}
