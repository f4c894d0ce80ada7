import { describe, expect, it, vi } from 'vitest'
import type { Tenant } from '../../../shared/api'
import { publicClouds } from '../../../shared/clouds'
import { ArmContexts, armClientOptions } from '../../../electron/azure/arm-context'

const sub = (id: string, accountId: string, tenantId: string) => ({
  id,
  displayName: id,
  tenantId,
  state: 'Enabled',
  accountId,
})
const subA = '00000000-0000-4000-8000-00000000000a'
const subB = '00000000-0000-4000-8000-00000000000b'
const tenants: Tenant[] = [
  { id: 't1', displayName: 'One', subscriptions: [sub(subA, 'ada.home', 't1')] },
  { id: 't2', displayName: 'Two', subscriptions: [sub(subB, 'ada.home', 't2')] },
]

function contexts(listed: Tenant[] = tenants) {
  const listTenants = vi.fn(async () => listed)
  const credential = vi.fn((accountId: string, tenantId?: string) => ({
    getToken: async () => ({ token: `${accountId}@${tenantId}`, expiresOnTimestamp: 0 }),
  }))
  const arm = new ArmContexts({ cloud: publicClouds.AzureCloud, listTenants, credential })
  return { arm, listTenants, credential }
}

describe('ArmContexts', () => {
  it('uses the account and tenant that can see the subscription, without listing again', async () => {
    const { arm, listTenants, credential } = contexts()
    arm.remember(tenants)
    const context = await arm.for(subB.toUpperCase())
    expect(context).toMatchObject({ subscriptionId: subB, tenantId: 't2', accountId: 'ada.home' })
    expect(credential).toHaveBeenCalledWith('ada.home', 't2')
    expect(listTenants).not.toHaveBeenCalled()
  })

  it('lists once more for a subscription it has not seen, then says plainly when no account reaches it', async () => {
    const { arm, listTenants } = contexts()
    await expect(arm.for(subA)).resolves.toMatchObject({ tenantId: 't1' })
    expect(listTenants).toHaveBeenCalledTimes(1)
    await expect(arm.for('00000000-0000-4000-8000-0000000000ff')).rejects.toMatchObject({
      code: 'NotFound',
      message: expect.stringMatching(/None of your signed-in accounts can see/),
    })
  })
})

describe('armClientOptions', () => {
  it('points the SDK at the cloud, with its token scope, trusting the sandbox CA only when given', () => {
    expect(armClientOptions({ cloud: publicClouds.AzureUSGovernment })).toEqual({
      endpoint: 'https://management.usgovcloudapi.net',
      credentials: { scopes: ['https://management.usgovcloudapi.net/.default'] },
    })
    expect(armClientOptions({ cloud: publicClouds.AzureCloud, tlsCa: 'PEM' }).tlsOptions).toEqual({
      ca: 'PEM',
    })
  })
})
