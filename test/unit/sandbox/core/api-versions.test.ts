import { describe, expect, it } from 'vitest'
import { checkApiVersion, resourceTypeOf } from '../../../../sandbox/core/api-versions'
import type { ArmError } from '../../../../sandbox/core/arm-error'

const sub = '/subscriptions/00000000-0000-0000-0000-000000000001'
const rg = `${sub}/resourceGroups/rg/providers`
const where = { locations: ['East US'] }

function codeOf(path: string, version: string): string | undefined {
  try {
    checkApiVersion(path, version, where)
    return undefined
  } catch (error) {
    return (error as ArmError).code
  }
}

describe('api-version table', () => {
  it('finds the resource type a path addresses, actions and nested types included', () => {
    expect(resourceTypeOf(`${rg}/Microsoft.Compute/virtualMachineScaleSets/p/start`)).toEqual({
      kind: 'provider',
      namespace: 'Microsoft.Compute',
      type: 'virtualMachineScaleSets/start',
    })
    expect(
      resourceTypeOf(
        `${rg}/Microsoft.Compute/virtualMachineScaleSets/p/providers/Microsoft.Insights/metrics`,
      ),
    ).toMatchObject({ namespace: 'Microsoft.Insights', type: 'metrics' })
    expect(resourceTypeOf(`${sub}/resourcegroups/rg`)).toMatchObject({
      kind: 'arm',
      type: 'resourceGroups',
    })
    expect(resourceTypeOf(`${sub}/providers/Microsoft.Compute`)).toMatchObject({
      kind: 'arm',
      type: 'providers',
    })
  })

  // What the SDK packages this app ships send (and az 2.45's 2020-09-01-hybrid profile).
  it.each([
    [`${rg}/Microsoft.Compute/virtualMachineScaleSets/p`, '2026-04-01'],
    [`${rg}/Microsoft.Compute/virtualMachineScaleSets/p`, '2020-06-01'],
    [`${rg}/Microsoft.Compute/virtualMachineScaleSets/p/virtualMachines/0`, '2026-04-01'],
    [`${rg}/Microsoft.Compute/virtualMachineScaleSets/p/networkInterfaces`, '2018-10-01'],
    [`${rg}/Microsoft.Compute/virtualMachineScaleSets/p/networkInterfaces`, '2026-01-01'],
    [`${sub}/providers/Microsoft.Compute/skus`, '2021-07-01'],
    [`${sub}/providers/Microsoft.Compute/locations/eastus/usages`, '2026-04-01'],
    [`${rg}/Microsoft.Network/loadBalancers/lb`, '2026-01-01'],
    [`${rg}/Microsoft.Network/publicIPAddresses/ip`, '2018-11-01'],
    [`${rg}/Microsoft.Storage/storageAccounts/s/fileServices/default/shares/x`, '2026-09-01'],
    [`${rg}/Microsoft.Storage/storageAccounts/s/listKeys`, '2025-01-01'],
    [`${rg}/Microsoft.Resources/deployments/d`, '2026-06-01'],
    [`${sub}/resourcegroups/rg`, '2025-04-01'],
    [`${sub}`, '2022-12-01'],
    [`${rg}/Microsoft.Insights/autoscalesettings/a`, '2022-10-01'],
    [
      `${rg}/Microsoft.Compute/virtualMachineScaleSets/p/providers/Microsoft.Insights/metrics`,
      '2024-02-01',
    ],
    [`${sub}/providers/Microsoft.Authorization/permissions`, '2022-04-01'],
    [`${sub}/providers/Microsoft.CostManagement/query`, '2023-11-01'],
    [
      `${sub}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/p/offers/o/plans/x/agreements/current`,
      '2021-01-01',
    ],
  ])('accepts %s at %s', (path, version) => {
    expect(codeOf(path, version)).toBeUndefined()
  })

  it.each([
    [
      `${rg}/Microsoft.Compute/virtualMachineScaleSets/p`,
      '1999-01-01',
      'NoRegisteredProviderFound',
    ],
    [`${rg}/Microsoft.Storage/storageAccounts/s`, '2024-07-01', 'NoRegisteredProviderFound'],
    [`${sub}/resourcegroups/rg`, 'latest', 'InvalidApiVersionParameter'],
    [`${rg}/Microsoft.Nothing/things/t`, '2024-01-01', 'InvalidResourceNamespace'],
  ])('refuses %s at %s with %s', (path, version, code) => {
    expect(codeOf(path, version)).toBe(code)
  })
})
