import { request } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestSandbox, type TestSandbox } from '../harness'

let test: TestSandbox
beforeAll(async () => {
  test = await startTestSandbox()
})
afterAll(() => test.close())

interface Answer {
  status: number
  body: Record<string, unknown> & { value?: Array<Record<string, unknown>> }
}

async function graph(
  path: string,
  options: { user?: string; headers?: Record<string, string>; token?: string | null } = {},
): Promise<Answer> {
  const token =
    options.token === null
      ? undefined
      : (options.token ??
        (await test.credential(options.user).getToken('https://graph.microsoft.com/.default'))!
          .token)
  const url = new URL(path, test.sandbox.armEndpoint)
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: test.sandbox.caCert,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
      },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: JSON.parse(text) as Answer['body'] }),
        )
      },
    )
    req.on('error', reject)
    req.end()
  })
}

const eventual = { ConsistencyLevel: 'eventual' }

describe('Microsoft Graph in the sandbox', () => {
  it('/me answers the signed-in user with the default property set', async () => {
    const me = await graph('/v1.0/me', { user: 'grace@contoso.example' })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      id: 'b2b2b2b2-0000-4000-8000-0000000067ac',
      displayName: 'Grace Hopper',
      userPrincipalName: 'grace@contoso.example',
      givenName: 'Grace',
      surname: 'Hopper',
    })
    expect(me.body).not.toHaveProperty('userType')
  })

  it('$search needs ConsistencyLevel: eventual, and then finds members and guests by any word', async () => {
    const refused = await graph('/v1.0/users?$search="displayName:hop"')
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ code: 'Request_UnsupportedQuery' })

    const found = await graph(
      '/v1.0/users?$search="displayName:hop" OR "mail:hop"&$select=id,displayName,mail,userType',
      { headers: eventual },
    )
    expect(found.status).toBe(200)
    expect(found.body['@odata.context']).toBe(
      'https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,mail,userType)',
    )
    expect(found.body.value!.map((u) => u.displayName)).toEqual(['Grace Hopper'])

    const guest = await graph(
      '/v1.0/users?$search="mail:katherine"&$select=displayName,userPrincipalName,userType',
      { headers: eventual },
    )
    expect(guest.body.value).toEqual([
      {
        displayName: 'Katherine Johnson',
        userPrincipalName: 'katherine_fabrikam.example#EXT#@contoso.example',
        userType: 'Guest',
      },
    ])
  })

  it('$filter with startswith and eq, and refuses what Graph refuses', async () => {
    const byStart = await graph(
      "/v1.0/users?$filter=startswith(displayName,'al') or startswith(mail,'al')",
    )
    expect(byStart.body.value!.map((u) => u.userPrincipalName)).toEqual(['alan@contoso.example'])
    const guests = await graph("/v1.0/users?$filter=userType eq 'Guest'&$select=displayName")
    expect(guests.body.value).toEqual([{ displayName: 'Katherine Johnson' }])
    const bad = await graph("/v1.0/users?$filter=contains(displayName,'a')")
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({
      code: 'Request_UnsupportedQuery',
      innerError: expect.objectContaining({ 'request-id': expect.any(String) }),
    })
  })

  it('resolves ids to names with getByIds, and answers 401 without a token', async () => {
    const token = (await test.credential().getToken('https://graph.microsoft.com/.default'))!.token
    const url = new URL('/v1.0/directoryObjects/getByIds', test.sandbox.armEndpoint)
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          ca: test.sandbox.caCert,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        },
        (res) => {
          let text = ''
          res.on('data', (c: Buffer) => (text += c.toString()))
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }))
        },
      )
      req.on('error', reject)
      req.end(
        JSON.stringify({
          ids: ['c3c3c3c3-0000-4000-8000-0000000a1a40', '00000000-0000-4000-8000-00000000dead'],
          types: ['user'],
        }),
      )
    })
    expect(answer.status).toBe(200)
    expect(answer.body.value).toEqual([
      expect.objectContaining({
        '@odata.type': '#microsoft.graph.user',
        displayName: 'Alan Turing (read only)',
      }),
    ])
    const anonymous = await graph('/v1.0/me', { token: null })
    expect(anonymous.status).toBe(401)
    expect(anonymous.body.error).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Access token is empty.',
    })
  })
})
