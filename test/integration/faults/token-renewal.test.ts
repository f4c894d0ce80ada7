import { afterEach, describe, expect, it } from 'vitest'
import type { Account, CallOutput } from '../../../shared/api'
import { startWorld, teamPoolId, waitFor, type World } from './world'

/*
 * Azure refuses a token MSAL still holds as valid (401 ExpiredAuthenticationToken with an
 * invalid_token challenge): the app renews it from the refresh token and carries on. When
 * the sign-in itself is gone too, the person is told to sign in again, and nothing is lost.
 */

let world: World | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

/** Every refresh token the sandbox's directory issued stops working (a revoked session). */
function revokeSessions(current: World): void {
  const table = current.sandbox().context.state.table('identity-refresh-tokens')
  for (const [key] of table.entries()) table.delete(key)
}

describe('a token Azure refuses', () => {
  it('is renewed with one token request, and the pool list carries on', async () => {
    world = await startWorld()
    const current = world
    await current.value('pools.refresh')
    let tokenRequests = 0
    const stop = current.sandbox().context.requests!.listen(({ service, path }) => {
      if (service === 'identity' && path.endsWith('/oauth2/v2.0/token')) tokenRequests++
    })

    current.sandbox().faults.expireTokens()
    await current.value('pools.refresh')
    stop()
    const { pools, status } = await current.value<CallOutput<'pools.list'>>('pools.list')

    expect(status.problem).toBeUndefined()
    expect(pools.find((p) => p.id === teamPoolId)).toMatchObject({ name: 'team-pool' })
    // One renewal for the account, shared by every client and request that was refused.
    expect(tokenRequests).toBe(1)
  })

  it('says to sign in again when the session is gone too, keeps what was there, and works after signing in', async () => {
    world = await startWorld()
    const current = world
    await current.value('pools.refresh')

    revokeSessions(current)
    current.sandbox().faults.expireTokens()

    const listed = await current.call('subscriptions.list')
    expect(listed).toMatchObject({
      ok: false,
      error: { code: 'AuthRequired', message: expect.stringMatching(/^Sign in again/) },
    })
    // The account stays, marked as needing a sign-in; the pool is still listed.
    const accounts = await current.value<Account[]>('auth.accounts')
    expect(accounts).toMatchObject([{ username: 'ada@contoso.example', signedIn: false }])
    const { pools } = await current.value<CallOutput<'pools.list'>>('pools.list')
    expect(pools.map((p) => p.id)).toContain(teamPoolId)

    await current.signIn()
    const again = await waitFor('the subscriptions to list again', async () => {
      const result = await current.call('subscriptions.list')
      return result.ok ? result : undefined
    })
    expect(again.ok).toBe(true)
  })
})
