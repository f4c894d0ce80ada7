import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TokenCredential } from '@azure/core-auth'
import { SubscriptionClient } from '@azure/arm-resources-subscriptions'
import { describe, expect, it } from 'vitest'
import { startTestSandbox } from '../sandbox/harness'
import { appAuth } from './app-auth'

describe('identity across a sandbox restart with --state', () => {
  it('keeps access and refresh tokens valid', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'dsvm-identity-state-'))
    const first = await startTestSandbox({ stateDir })
    const app = appAuth(first.sandbox)
    const ada = await app.auth.signIn({ method: 'browser' })
    const before = await app.auth.getToken(ada.id, ['https://management.azure.com/.default'])
    const port = first.sandbox.port
    await first.close()

    const second = await startTestSandbox({ stateDir, port })
    try {
      const issuedBefore: TokenCredential = { getToken: async () => before }
      const client = new SubscriptionClient(issuedBefore, {
        endpoint: second.sandbox.armEndpoint,
        tlsOptions: { ca: second.sandbox.caCert },
      })
      expect((await client.subscriptions.get(second.sandbox.subscriptionId)).displayName).toBe(
        'Contoso Data Science',
      )

      // The app restarts too: same encrypted cache, the new sandbox's certificate.
      const restarted = appAuth(second.sandbox, { store: app.store })
      expect((await restarted.auth.accounts()).map((a) => a.username)).toEqual([
        'ada@contoso.example',
      ])
      const storage = await restarted.auth.getToken(ada.id, ['https://storage.azure.com/.default'])
      expect(storage.token).not.toBe(before.token)
      expect(restarted.browserUrls).toEqual([])
    } finally {
      await second.close()
    }
  })
})
