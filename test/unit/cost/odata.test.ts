import { describe, expect, it } from 'vitest'
import { filterOf, odataString } from '../../../electron/azure/prices/odata'

describe('price filters', () => {
  it('quotes values as OData string literals, doubling single quotes', () => {
    expect(odataString('eastus')).toBe("'eastus'")
    expect(odataString("O'Brien's")).toBe("'O''Brien''s'")
    // An attempt to close the literal and add a condition stays inside the literal.
    expect(filterOf({ armSkuName: "x' or serviceName ne 'y" })).toBe(
      "armSkuName eq 'x'' or serviceName ne ''y'",
    )
  })

  it('joins conditions with and, in one fixed order whatever the key order', () => {
    const a = filterOf({
      armSkuName: 'Standard_D4s_v5',
      serviceName: 'Virtual Machines',
      armRegionName: 'eastus',
    })
    const b = filterOf({
      armRegionName: 'eastus',
      serviceName: 'Virtual Machines',
      armSkuName: 'Standard_D4s_v5',
    })
    expect(a).toBe(b)
    expect(a).toBe(
      "serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' and armSkuName eq 'Standard_D4s_v5'",
    )
  })

  it('refuses control characters and empty queries', () => {
    expect(() => odataString('a\nb')).toThrow(/control characters/)
    expect(() => filterOf({})).toThrow(/at least one condition/)
  })
})
