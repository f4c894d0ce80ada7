import { request } from 'node:https'
import {
  ClientAuthError,
  ClientAuthErrorCodes,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node'

/**
 * MSAL's network client over node:https, trusting `ca` when given: an authority whose
 * certificate the system does not trust (the sandbox) needs it, and MSAL's built-in client
 * uses global fetch, which cannot be given a CA. Behaves as MSAL's own client does: JSON
 * bodies, lowercase header names, network failures as `network_error` ClientAuthErrors.
 * A busy answer (429, 5xx) whose body is not JSON still comes back with its status, for
 * RetryingNetworkClient to see.
 */
export class TrustingNetworkClient implements INetworkModule {
  constructor(private readonly ca?: string) {}

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout)
  }

  sendPostRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options)
  }

  private send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const body = method === 'POST' ? Buffer.from(options?.body ?? '') : undefined
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ...(this.ca ? { ca: this.ca } : {}),
          headers: {
            ...options?.headers,
            ...(body ? { 'Content-Length': String(body.length) } : {}),
          },
          ...(timeout ? { timeout } : {}),
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', (error) => reject(networkFailure(error.message)))
          res.on('end', () => {
            const headers: Record<string, string> = {}
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined)
                headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
            }
            const status = res.statusCode ?? 0
            try {
              const text = Buffer.concat(chunks).toString('utf8')
              resolve({ headers, body: JSON.parse(text) as T, status })
            } catch (error) {
              if (status === 429 || status >= 500) {
                resolve({ headers, body: {} as T, status })
                return
              }
              reject(
                new ClientAuthError(
                  ClientAuthErrorCodes.tokenParsingError,
                  '',
                  `Failed to parse response: ${(error as Error).message}`,
                ),
              )
            }
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error('Request timeout')))
      req.on('error', (error) => reject(networkFailure(error.message)))
      req.end(body)
    })
  }
}

const networkFailure = (message: string) =>
  new ClientAuthError(ClientAuthErrorCodes.networkError, '', `Network request failed: ${message}`)
