import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export const identityClientId = '6d1c7a53-3c4e-4a1f-9d55-0b8f4f2d9e11'
export const storageAccountId =
  '/subscriptions/8f2d5c1e-0000-4000-8000-000000000001/resourceGroups/team-pool/providers/Microsoft.Storage/storageAccounts/teampoolfiles'

export interface StandInKey {
  keyName: 'key1' | 'key2'
  value: string
  creationTime: string
}

/**
 * What an instance talks to at boot, with Azure's interfaces: the managed-identity token
 * endpoint (`GET ?api-version=2018-02-01&resource=...&client_id=...` with `Metadata: true`,
 * as the instance metadata service and the sandbox's identityEndpoint answer it) and Resource
 * Manager's `POST {account}/listKeys`, which accepts only the token it handed out.
 */
export class IdentityStandIn {
  constructor(
    readonly clientId = identityClientId,
    readonly accountId = storageAccountId,
  ) {}

  readonly token = `eyJ0eXAiOiJKV1QifQ.${Buffer.from(`mi-token-${Math.random()}`).toString('base64url')}.c2ln`
  keys: StandInKey[] = [
    {
      keyName: 'key1',
      value: 'a2V5LW9uZS1mb3ItdGVzdHM/Kz0=',
      creationTime: '2026-01-01T00:00:00.0000000Z',
    },
    {
      keyName: 'key2',
      value: 'a2V5LXR3by1mb3ItdGVzdHM/Kz0=',
      creationTime: '2026-01-01T00:00:00.0000000Z',
    },
  ]
  /** Answer every request with this status instead (the service is down). */
  failWith?: number
  readonly requests: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> =
    []
  private server?: Server

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push({ method: req.method!, url: req.url!, headers: req.headers })
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (this.failWith) return reply(this.failWith, { error: 'unavailable' })
      const url = new URL(req.url!, 'http://stand-in')
      if (req.method === 'GET' && url.pathname === '/metadata/identity/oauth2/token') {
        if (req.headers.metadata !== 'true')
          return reply(400, {
            error: 'invalid_request',
            error_description: 'Required metadata header not specified',
          })
        if (
          url.searchParams.get('api-version') !== '2018-02-01' ||
          !url.searchParams.get('resource')
        )
          return reply(400, { error: 'invalid_request' })
        if (url.searchParams.get('client_id') !== this.clientId)
          return reply(400, { error: 'invalid_request', error_description: 'Identity not found' })
        return reply(200, {
          access_token: this.token,
          expires_in: '86399',
          resource: url.searchParams.get('resource'),
          token_type: 'Bearer',
          client_id: this.clientId,
        })
      }
      if (req.method === 'POST' && url.pathname === `${this.accountId}/listKeys`) {
        if (req.headers.authorization !== `Bearer ${this.token}`)
          return reply(401, { error: { code: 'InvalidAuthenticationToken' } })
        return reply(200, { keys: this.keys.map((k) => ({ ...k, permissions: 'FULL' })) })
      }
      reply(404, { error: { code: 'NotFound' } })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
  }

  get origin() {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`
  }

  /** The environment the template gives the script on a pool with a managed identity. */
  get env() {
    return {
      KEY_SOURCE: 'identity',
      STORAGE_ACCOUNT_KEY: undefined,
      IDENTITY_CLIENT_ID: this.clientId,
      STORAGE_ACCOUNT_ID: this.accountId,
      ARM_ENDPOINT: `${this.origin}/`,
      IDENTITY_ENDPOINT: `${this.origin}/metadata/identity/oauth2/token`,
    }
  }

  /** What a rotation does: regenerates the older key, which becomes the newest. */
  rotate(value: string, creationTime: string) {
    const older = [...this.keys].sort(
      (a, b) => a.creationTime.localeCompare(b.creationTime) || b.keyName.localeCompare(a.keyName),
    )[0]!
    older.value = value
    older.creationTime = creationTime
    return older.keyName
  }

  stop() {
    return new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    )
  }
}
