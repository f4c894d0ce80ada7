import { describe, expect, it } from 'vitest'
import { compileFilter, FilterError } from '../../../../sandbox/prices/odata-filter'

const fields = [
  'serviceName',
  'armRegionName',
  'armSkuName',
  'type',
  'productName',
  'skuName',
  'retailPrice',
  'isPrimaryMeterRegion',
  'location',
]
const d4 = {
  serviceName: 'Virtual Machines',
  armRegionName: 'eastus',
  armSkuName: 'Standard_D4s_v5',
  type: 'Consumption',
  productName: 'Virtual Machines Dsv5 Series Windows',
  skuName: 'D4s v5 Low Priority',
  retailPrice: 0.0752,
  isPrimaryMeterRegion: true,
  location: 'US East',
}
const matches = (filter: string, record: Record<string, unknown> = d4, ignoreCase = true) =>
  compileFilter(filter, fields, { ignoreCase })(record)

describe('Retail Prices $filter', () => {
  it('matches the query the app sends for one VM size', () => {
    const filter =
      "serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' and armSkuName eq 'Standard_D4s_v5' and priceType eq 'Consumption'"
    expect(matches(filter)).toBe(true)
    expect(matches(filter.replace('eastus', 'westeurope'))).toBe(false)
  })

  it('applies and before or, and parentheses override it', () => {
    expect(
      matches(
        "armRegionName eq 'westus2' and armSkuName eq 'x' or serviceName eq 'Virtual Machines'",
      ),
    ).toBe(true)
    expect(
      matches(
        "armRegionName eq 'westus2' and (armSkuName eq 'x' or serviceName eq 'Virtual Machines')",
      ),
    ).toBe(false)
    expect(
      matches(
        "(armSkuName eq 'Standard_D8s_v5' or armSkuName eq 'Standard_D4s_v5') and type eq 'Consumption'",
      ),
    ).toBe(true)
  })

  it('supports contains, startswith and endswith, also compared with true/false', () => {
    expect(matches("contains(productName, 'Windows')")).toBe(true)
    expect(matches("contains(skuName, 'Low Priority') eq false")).toBe(false)
    expect(matches("contains(skuName, 'Spot') ne true")).toBe(true)
    expect(matches("startswith(productName, 'Virtual Machines Dsv5')")).toBe(true)
    expect(matches("endswith(productName, 'Windows')")).toBe(true)
  })

  it('accepts field names in any case, and priceType for the type field', () => {
    expect(
      matches(
        "ServiceName eq 'Virtual Machines' and PRICETYPE eq 'Consumption' and Location eq 'US East'",
      ),
    ).toBe(true)
  })

  it('compares values case-insensitively only for old API versions', () => {
    expect(matches("serviceName eq 'virtual machines'", d4, true)).toBe(true)
    expect(matches("serviceName eq 'virtual machines'", d4, false)).toBe(false)
  })

  it('compares numbers and booleans', () => {
    expect(matches('retailPrice gt 0.07 and retailPrice le 0.0752')).toBe(true)
    expect(matches('isPrimaryMeterRegion eq false')).toBe(false)
    expect(matches("retailPrice gt 'a'")).toBe(false)
  })

  it('finds nothing for currencyCode inside the filter, as Azure does', () => {
    expect(matches("serviceName eq 'Virtual Machines' and currencyCode eq 'USD'")).toBe(false)
  })

  it('unescapes doubled quotes in string literals', () => {
    expect(matches("skuName eq 'O''Brien'", { ...d4, skuName: "O'Brien" })).toBe(true)
  })

  it.each([
    ["not(contains(productName, 'Windows'))", /not/],
    ["serviceName eq 'Virtual Machines", /Unterminated/],
    ["colour eq 'red'", /property named 'colour'/],
    ["serviceName eq 'a' and", /end of filter/],
    ["(serviceName eq 'a'", /expected '\)'/],
    ["substringof('a', serviceName)", /Unknown function/],
    ["serviceName eq 'a' 'b'", /Syntax error/],
  ])('rejects %s', (filter, message) => {
    expect(() => matches(filter)).toThrow(FilterError)
    expect(() => matches(filter)).toThrow(message)
  })
})
