import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node'
import { generate } from 'selfsigned'
import { describe, expect, it } from 'vitest'
import { TrustingNetworkClient } from '../../../../electron/azure/auth/network-client'
import { wellKnownPublicClients } from '../../../../sandbox/identity/directory-lookup'
import { browserRequest } from '../harness'
import { sandboxForFile } from '../fixtures'

/**
 * Sign-in as Entra offers it to clients other than the app: Microsoft's well-known public
 * clients (the Azure CLI's device code), service principals with a secret or a certificate
 * (client credentials, through MSAL's confidential client), and the managed-identity endpoint.
 */

const env = sandboxForFile()

const tokenUrl = () => `${env.sandbox.authority}/oauth2/v2.0/token`
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >

function confidentialClient(
  clientId: string,
  credential:
    | { clientSecret: string }
    | { clientCertificate: { thumbprintSha256: string; privateKey: string } },
) {
  return new ConfidentialClientApplication({
    auth: {
      clientId,
      authority: env.sandbox.authority,
      knownAuthorities: [new URL(env.sandbox.authorityHost).host],
      ...credential,
    },
    system: {
      protocolMode: 'OIDC',
      networkClient: new TrustingNetworkClient(env.sandbox.caCert),
      loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined },
    },
  })
}

async function armGet(token: string, path: string) {
  return fetchJson(`${env.sandbox.armEndpoint}${path}`, { Authorization: `Bearer ${token}` })
}

async function fetchJson(url: string, headers: Record<string, string>, form?: string) {
  const { request } = await import('node:https')
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: form === undefined ? 'GET' : 'POST',
        ca: env.sandbox.caCert,
        headers: {
          ...headers,
          ...(form === undefined
            ? {}
            : {
                'Content-Type': 'application/x-www-form-urlencoded',
                'Content-Length': Buffer.byteLength(form),
              }),
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
              string,
              unknown
            >,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(form)
  })
}

describe("Microsoft's public clients", () => {
  it.each(Object.entries(wellKnownPublicClients))(
    '%s signs in with a device code and gets the scope it asked for at the start',
    async (_name, clientId) => {
      const start = await browserRequest(`${env.sandbox.authority}/oauth2/v2.0/devicecode`, {
        ca: env.sandbox.caCert,
        form: {
          client_id: clientId,
          scope: 'https://management.core.windows.net//.default offline_access openid profile',
        },
      })
      expect(start.status).toBe(200)
      const {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: page,
      } = JSON.parse(start.body) as Record<string, string>
      const approved = await browserRequest(page!, {
        ca: env.sandbox.caCert,
        form: { otc: userCode!, username: 'grace@contoso.example' },
      })
      expect(approved.body).toContain('You have signed in')
      const token = await browserRequest(tokenUrl(), {
        ca: env.sandbox.caCert,
        form: {
          client_id: clientId,
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: deviceCode!,
          // Not what the device code was for: Entra keeps the device-code request's scope.
          scope: 'https://storage.azure.com/.default',
        },
      })
      expect(token.status).toBe(200)
      const claims = claimsOf((JSON.parse(token.body) as { access_token: string }).access_token)
      expect(claims).toMatchObject({
        aud: 'https://management.core.windows.net/',
        appid: clientId,
        upn: 'grace@contoso.example',
      })
    },
  )

  it('still refuses a client id nobody registered', async () => {
    const start = await browserRequest(`${env.sandbox.authority}/oauth2/v2.0/devicecode`, {
      ca: env.sandbox.caCert,
      form: { client_id: '11111111-2222-3333-4444-555555555555', scope: 'openid' },
    })
    expect(start.status).toBe(400)
    expect(JSON.parse(start.body)).toMatchObject({ error: 'unauthorized_client' })
  })
})

describe('service principals (client credentials)', () => {
  it('sign in with a secret and reach what their role allows', async () => {
    const sp = env.sandbox.identities.addServicePrincipal({
      displayName: 'ci-deployer',
      roles: { [env.sandbox.subscriptionId]: 'Reader' },
    })
    const result = await confidentialClient(sp.appId, {
      clientSecret: sp.secret!,
    }).acquireTokenByClientCredential({ scopes: ['https://management.azure.com/.default'] })
    const claims = claimsOf(result!.accessToken)
    expect(claims).toMatchObject({ idtyp: 'app', oid: sp.objectId, appid: sp.appId })
    const groups = await armGet(
      result!.accessToken,
      `/subscriptions/${env.sandbox.subscriptionId}/resourcegroups?api-version=2025-04-01`,
    )
    expect(groups.status).toBe(200)
  })

  it('are refused with a wrong secret, as Entra refuses them', async () => {
    const sp = env.sandbox.identities.addServicePrincipal({ displayName: 'wrong-secret' })
    const reply = await fetchJson(
      tokenUrl(),
      {},
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sp.appId,
        client_secret: 'not-the-secret',
        scope: 'https://management.azure.com/.default',
      }).toString(),
    )
    expect(reply.status).toBe(401)
    expect(reply.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] })
  })

  it('sign in with a certificate (a client assertion signed by its key)', async () => {
    const pems = await generate([{ name: 'commonName', value: 'ci-deployer-cert' }], {
      keySize: 2048,
      algorithm: 'sha256',
    })
    const sp = env.sandbox.identities.addServicePrincipal({
      displayName: 'cert-deployer',
      certificatePem: pems.cert,
      roles: { [env.sandbox.subscriptionId]: 'Contributor' },
    })
    expect(sp.secret).toBeUndefined()
    const { X509Certificate, createHash } = await import('node:crypto')
    const thumbprintSha256 = createHash('sha256')
      .update(new X509Certificate(pems.cert).raw)
      .digest('hex')
    const result = await confidentialClient(sp.appId, {
      clientCertificate: { thumbprintSha256, privateKey: pems.private },
    }).acquireTokenByClientCredential({ scopes: ['https://management.azure.com/.default'] })
    expect(claimsOf(result!.accessToken)).toMatchObject({ oid: sp.objectId })

    const other = await generate([{ name: 'commonName', value: 'someone-else' }], { keySize: 2048 })
    const stranger = confidentialClient(sp.appId, {
      clientCertificate: {
        thumbprintSha256: createHash('sha256')
          .update(new X509Certificate(other.cert).raw)
          .digest('hex'),
        privateKey: other.private,
      },
    })
    await expect(
      stranger.acquireTokenByClientCredential({
        scopes: ['https://management.azure.com/.default'],
      }),
    ).rejects.toThrow(/700027/)
  })
})

describe('the managed-identity endpoint', () => {
  it('issues a token the way the instance metadata service does (Metadata: true)', async () => {
    const identity = env.sandbox.identities.addManagedIdentity({
      name: 'pool-identity',
      roles: { [env.sandbox.subscriptionId]: 'Reader' },
    })
    const url = new URL(env.sandbox.identityEndpoint)
    url.search = new URLSearchParams({
      'api-version': '2018-02-01',
      resource: `${env.sandbox.armEndpoint}/`,
      client_id: identity.clientId,
    }).toString()
    const refused = await fetchJson(url.toString(), {})
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({ error: 'invalid_request' })

    const reply = await fetchJson(url.toString(), { Metadata: 'true' })
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({ token_type: 'Bearer', client_id: identity.clientId })
    expect(typeof reply.body.expires_in).toBe('string')
    const token = String(reply.body.access_token)
    expect(claimsOf(token)).toMatchObject({ oid: identity.principalId, idtyp: 'app' })
    const groups = await armGet(
      token,
      `/subscriptions/${env.sandbox.subscriptionId}/resourcegroups?api-version=2025-04-01`,
    )
    expect(groups.status).toBe(200)
  })

  it('answers the form POST az login --identity sends to MSI_ENDPOINT, and asks which identity when there are several', async () => {
    env.sandbox.identities.addManagedIdentity({ name: 'second-identity' })
    const form = new URLSearchParams({ resource: 'https://management.core.windows.net/' })
    const ambiguous = await fetchJson(
      env.sandbox.identityEndpoint,
      { Metadata: 'true' },
      form.toString(),
    )
    expect(ambiguous.status).toBe(400)
    expect(String(ambiguous.body.error_description)).toMatch(/Multiple user assigned identities/)
    const third = env.sandbox.identities.addManagedIdentity({ name: 'third-identity' })
    form.set('client_id', third.clientId)
    const reply = await fetchJson(
      env.sandbox.identityEndpoint,
      { Metadata: 'true' },
      form.toString(),
    )
    expect(reply.status).toBe(200)
    expect(claimsOf(String(reply.body.access_token)).aud).toBe(
      'https://management.core.windows.net/',
    )
  })
})
