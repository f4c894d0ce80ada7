import { describe, expect, it } from 'vitest'
import type { ArmClients } from '../../../electron/azure/deploy/clients'
import { poolAccountsWayIn } from '../../../electron/azure/team/pool-accounts'

/*
 * Whether the Pool accounts card is the pool's way in or a closed fallback (docs/team.md),
 * decided from the scale set's extensions and the pool's deployment as Azure returns them.
 */

const mountShare = { name: 'mount-share', publisher: 'Microsoft.Azure.Extensions' }
const entraLogin = {
  name: 'AADSSHLoginForLinux',
  publisher: 'Microsoft.Azure.ActiveDirectory',
  typePropertiesType: 'AADSSHLoginForLinux',
}
const templateParameters = {
  storageAccountName: { value: 'labfiles' },
  shareName: { value: 'notebooks' },
  mountScript: { value: '#!/bin/sh\n' },
}

function clients(extensions: object[], parameters: Record<string, { value: string }> | 404) {
  return {
    compute: {
      virtualMachineScaleSets: {
        get: async () => ({ virtualMachineProfile: { extensionProfile: { extensions } } }),
      },
    },
    deployments: {
      deployments: {
        get: async () => {
          if (parameters === 404) throw Object.assign(new Error('gone'), { statusCode: 404 })
          return {
            properties: {
              parameters,
              outputs: { shareUnc: { value: '\\\\labfiles.file.core.windows.net\\notebooks' } },
            },
          }
        },
      },
    },
  } as unknown as ArmClients
}

const target = { resourceGroup: 'lab-rg', poolName: 'lab' }

describe('poolAccountsWayIn', () => {
  it('is the fallback on a pool whose members sign in with Microsoft accounts', async () => {
    await expect(
      poolAccountsWayIn(clients([mountShare, entraLogin], templateParameters), target),
    ).resolves.toBe('fallback')
  })

  it('is the way in on a pool made with pool accounts, even with Microsoft sign-in on it', async () => {
    const parameters = { ...templateParameters, accountsScript: { value: '#!/bin/sh\n' } }
    await expect(
      poolAccountsWayIn(clients([mountShare, entraLogin], parameters), target),
    ).resolves.toBe('accounts')
  })

  it('is the way in on a pool without Microsoft sign-in', async () => {
    await expect(
      poolAccountsWayIn(clients([mountShare], templateParameters), target),
    ).resolves.toBe('accounts')
  })

  it('refuses a pool not made from the template, saying what to do instead', async () => {
    const refusal = (await poolAccountsWayIn(
      clients([entraLogin], templateParameters),
      target,
    ).catch((error: unknown) => error)) as {
      code: string
      message: string
      details: { whatToDo: string }
    }
    expect(refusal.code).toBe('Validation')
    expect(refusal.message).toMatch(/has no 'mount-share' extension/)
    expect(refusal.details.whatToDo).toMatch(/add them under Team/)

    const gone = (await poolAccountsWayIn(clients([mountShare], 404), target).catch(
      (error: unknown) => error,
    )) as { message: string; details: { whatToDo: string } }
    expect(gone.message).toMatch(/no longer in the resource group's history/)
    expect(gone.details.whatToDo).toMatch(/create a new pool with this app/)
  })
})
