import type { AccessToken } from '@azure/core-auth'
import {
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  type HttpClient,
  type PipelineRequest,
} from '@azure/core-rest-pipeline'
import { describe, expect, it } from 'vitest'
import {
  refusesToken,
  renewingBearerTokenPolicy,
  type RenewableCredential,
} from '../../../electron/azure/auth/token-renewal'
import { AppError } from '../../../shared/errors'

const armChallenge = (description: string) =>
  `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${description}"`

const hour = 3_600_000

/** MSAL as the credential sees it: a cached token until a renewal gives a new one. */
function fakeCredential(options: { renewal?: () => never } = {}) {
  let issued = 0
  let held: AccessToken = { token: 'token-0', expiresOnTimestamp: Date.now() + hour }
  const renewals: string[] = []
  const credential: RenewableCredential = {
    getToken: async () => held,
    async renewToken(_scopes, refused) {
      renewals.push(refused)
      if (options.renewal) options.renewal()
      if (held.token === refused) {
        issued += 1
        held = { token: `token-${issued}`, expiresOnTimestamp: Date.now() + hour + issued }
      }
      return held
    },
  }
  return { credential, renewals }
}

/** An Azure that refuses every token in `refused` with `challenge` and records what it got. */
function fakeAzure(
  refused: Set<string>,
  challenge = armChallenge('The access token expiry UTC time is earlier than current UTC time.'),
) {
  const seen: string[] = []
  const client: HttpClient = {
    async sendRequest(request: PipelineRequest) {
      const token = request.headers.get('Authorization')!.replace(/^Bearer /, '')
      seen.push(token)
      const refuse = refused.has(token)
      return {
        request,
        status: refuse ? 401 : 200,
        headers: createHttpHeaders(refuse ? { 'WWW-Authenticate': challenge } : {}),
        bodyAsText: refuse ? '{"error":{"code":"ExpiredAuthenticationToken"}}' : '{}',
      }
    },
  }
  return { client, seen }
}

function pipelineWith(
  credential: RenewableCredential | { getToken: RenewableCredential['getToken'] },
) {
  const pipeline = createEmptyPipeline()
  pipeline.addPolicy(renewingBearerTokenPolicy(credential, 'https://management.azure.com/.default'))
  return pipeline
}

const get = () =>
  createPipelineRequest({
    url: 'https://management.azure.com/subscriptions?api-version=2022-12-01',
  })

describe('renewing a token Azure refuses', () => {
  it('gets a new token once and sends the request again; later requests carry the new one', async () => {
    const { credential, renewals } = fakeCredential()
    const azure = fakeAzure(new Set(['token-0']))
    const pipeline = pipelineWith(credential)

    const first = await pipeline.sendRequest(azure.client, get())
    const second = await pipeline.sendRequest(azure.client, get())

    expect([first.status, second.status]).toEqual([200, 200])
    expect(renewals).toEqual(['token-0'])
    expect(azure.seen).toEqual(['token-0', 'token-1', 'token-1'])
  })

  it('requests refused together share one renewal', async () => {
    const { credential } = fakeCredential()
    const azure = fakeAzure(new Set(['token-0']))
    const pipeline = pipelineWith(credential)

    const answers = await Promise.all(
      [1, 2, 3].map(() => pipeline.sendRequest(azure.client, get())),
    )

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    // The fake holds one token at a time: later refusals get the token already renewed.
    expect(new Set(azure.seen.filter((t) => t !== 'token-0'))).toEqual(new Set(['token-1']))
  })

  it('gives the answer back when the renewed token is refused again, without renewing in a loop', async () => {
    const { credential, renewals } = fakeCredential()
    const azure = fakeAzure(new Set(['token-0', 'token-1']))
    const pipeline = pipelineWith(credential)

    const first = await pipeline.sendRequest(azure.client, get())
    const second = await pipeline.sendRequest(azure.client, get())

    expect([first.status, second.status]).toEqual([401, 401])
    expect(renewals).toEqual(['token-0'])
  })

  it('says to sign in again when the sign-in itself can no longer renew', async () => {
    const { credential } = fakeCredential({
      renewal: () => {
        throw new AppError(
          'AuthRequired',
          'Sign in again as ada@contoso.example: the session has expired.',
        )
      },
    })
    const azure = fakeAzure(new Set(['token-0']))

    await expect(pipelineWith(credential).sendRequest(azure.client, get())).rejects.toMatchObject({
      code: 'AuthRequired',
      message: expect.stringMatching(/^Sign in again/),
    })
  })

  it('leaves other answers alone: a 401 that is no token refusal, or a credential that cannot renew', async () => {
    const { credential, renewals } = fakeCredential()
    const other = fakeAzure(new Set(['token-0']), 'Basic realm="files"')
    expect((await pipelineWith(credential).sendRequest(other.client, get())).status).toBe(401)
    expect(renewals).toEqual([])

    const plain = { getToken: credential.getToken }
    const azure = fakeAzure(new Set(['token-0']))
    expect((await pipelineWith(plain).sendRequest(azure.client, get())).status).toBe(401)
    expect(azure.seen).toEqual(['token-0'])
  })
})

describe('refusesToken', () => {
  it.each([
    [armChallenge('The access token expiry UTC time is earlier than current UTC time.'), true],
    ['Bearer error=invalid_token', true],
    [
      'Bearer authorization_uri="https://login.windows.net/", error="insufficient_claims", claims="e30="',
      false,
    ],
    [
      'Bearer authorization_uri=https://login.microsoftonline.com/t/oauth2/authorize resource_id=https://storage.azure.com',
      false,
    ],
    ['Basic realm="x"', false],
    [undefined, false],
  ])('%s → %s', (challenge, expected) => {
    expect(refusesToken(challenge)).toBe(expected)
  })
})
