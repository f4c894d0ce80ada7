import { request } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../../../sandbox/index'
import type { RetailPricesPage } from '../../../../sandbox/prices/retail-prices'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(async () => {
  await sandbox?.close()
})

/** A plain HTTPS GET, as any client of prices.azure.com makes it (no authentication). */
function get(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: sandbox.caCert }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

const query = (params: Record<string, string>) =>
  `${sandbox.pricesEndpoint}?${new URLSearchParams(params).toString()}`

async function getPage(url: string): Promise<RetailPricesPage> {
  const response = await get(url)
  expect(response.status).toBe(200)
  return response.body as RetailPricesPage
}

/** Follows NextPageLink until null, as the docs tell clients to. */
async function getAll(url: string): Promise<{ items: RetailPricesPage['Items']; pages: number }> {
  const items: RetailPricesPage['Items'] = []
  let next: string | null = url
  let pages = 0
  while (next) {
    const page = await getPage(next)
    expect(page.Count).toBe(page.Items.length)
    items.push(...page.Items)
    pages++
    next = page.NextPageLink
  }
  return { items, pages }
}

describe('Retail Prices API', () => {
  it('answers the app query for one size with the envelope prices.azure.com uses', async () => {
    const page = await getPage(
      query({
        $filter:
          "serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' and armSkuName eq 'Standard_D4s_v5' and priceType eq 'Consumption'",
      }),
    )
    expect(Object.keys(page)).toEqual([
      'BillingCurrency',
      'CustomerEntityId',
      'CustomerEntityType',
      'Items',
      'NextPageLink',
      'Count',
    ])
    expect(page).toMatchObject({
      BillingCurrency: 'USD',
      CustomerEntityId: 'Default',
      CustomerEntityType: 'Retail',
      NextPageLink: null,
    })
    const names = page.Items.map((i) => `${i.productName} | ${i.skuName}`).sort()
    expect(names).toEqual([
      'Virtual Machines Dsv5 Series Windows | D4s v5',
      'Virtual Machines Dsv5 Series Windows | D4s v5 Low Priority',
      'Virtual Machines Dsv5 Series Windows | D4s v5 Spot',
      'Virtual Machines Dsv5 Series | D4s v5',
      'Virtual Machines Dsv5 Series | D4s v5 Low Priority',
      'Virtual Machines Dsv5 Series | D4s v5 Spot',
    ])
    const linux = page.Items.find(
      (i) => i.skuName === 'D4s v5' && i.productName === 'Virtual Machines Dsv5 Series',
    )!
    expect(linux).toMatchObject({
      retailPrice: 0.192,
      unitPrice: 0.192,
      unitOfMeasure: '1 Hour',
      currencyCode: 'USD',
      location: 'US East',
    })
  })

  it('pages 100 items at a time and the pages add up to everything, without repeats', async () => {
    const first = await getPage(query({ $filter: "serviceFamily eq 'Compute'" }))
    expect(first.Count).toBe(100)
    expect(first.NextPageLink).toContain('$skip=100')
    expect(first.NextPageLink!.startsWith(sandbox.pricesEndpoint)).toBe(true)
    const { items, pages } = await getAll(query({ $filter: "serviceFamily eq 'Compute'" }))
    expect(pages).toBeGreaterThan(3)
    expect(new Set(items.map((i) => i.meterId)).size).toBe(items.length)
    expect(items.every((i) => i.serviceFamily === 'Compute')).toBe(true)
  })

  it('returns prices in the requested currency, and the next page keeps it', async () => {
    const filter =
      "armRegionName eq 'westeurope' and armSkuName eq 'Standard_D4s_v5' and priceType eq 'Consumption'"
    const usd = await getPage(query({ $filter: filter }))
    const eur = await getPage(query({ currencyCode: "'EUR'", $filter: filter }))
    expect(eur.BillingCurrency).toBe('EUR')
    expect(eur.Items.every((i) => i.currencyCode === 'EUR')).toBe(true)
    const pair = (page: RetailPricesPage) =>
      page.Items.find((i) => i.skuName === 'D4s v5' && !i.productName.endsWith('Windows'))!
    expect(pair(eur).retailPrice).toBeCloseTo(pair(usd).retailPrice * 0.92, 5)
    const gbpFirst = await getPage(
      query({ currencyCode: 'GBP', $filter: "serviceName eq 'Virtual Machines'" }),
    )
    const gbpSecond = await getPage(gbpFirst.NextPageLink!)
    expect(gbpSecond.BillingCurrency).toBe('GBP')
    expect(gbpSecond.Items[0]!.currencyCode).toBe('GBP')
  })

  it('filters with or, parentheses and contains, and lists Spot and Low Priority meters', async () => {
    const { items } = await getAll(
      query({
        $filter:
          "armRegionName eq 'eastus' and (armSkuName eq 'Standard_NC4as_T4_v3' or armSkuName eq 'Standard_E8s_v5') and contains(skuName, 'Spot')",
      }),
    )
    expect(items.length).toBe(4 + 2)
    expect(new Set(items.map((i) => i.armSkuName))).toEqual(
      new Set(['Standard_NC4as_T4_v3', 'Standard_E8s_v5']),
    )
    expect(items.every((i) => i.skuName.endsWith(' Spot'))).toBe(true)
  })

  it('adds savings plan rates to pay-as-you-go VM meters from api-version 2023-01-01-preview', async () => {
    const filter =
      "armRegionName eq 'eastus' and armSkuName eq 'Standard_D4s_v5' and priceType eq 'Consumption'"
    const old = await getPage(query({ $filter: filter }))
    expect(old.Items.some((i) => 'savingsPlan' in i)).toBe(false)
    const preview = await getPage(
      query({ 'api-version': '2023-01-01-preview', currencyCode: 'EUR', $filter: filter }),
    )
    const linux = preview.Items.find(
      (i) => i.skuName === 'D4s v5' && i.productName === 'Virtual Machines Dsv5 Series',
    )!
    expect(linux.savingsPlan?.map((p) => p.term)).toEqual(['3 Years', '1 Year'])
    expect(linux.savingsPlan![0]!.retailPrice).toBeLessThan(linux.savingsPlan![1]!.retailPrice)
    expect(linux.savingsPlan![1]!.retailPrice).toBeLessThan(linux.retailPrice)
    expect(linux.savingsPlan![1]!.retailPrice).toBeCloseTo(0.192 * 0.92 * 0.7, 4)
    const spot = preview.Items.find((i) => i.skuName === 'D4s v5 Spot')!
    expect(spot.savingsPlan).toBeUndefined()
  })

  it('lists reservations with their term, priced for the whole term', async () => {
    const page = await getPage(
      query({
        $filter:
          "priceType eq 'Reservation' and reservationTerm eq '3 Years' and armSkuName eq 'Standard_D4s_v5' and armRegionName eq 'eastus'",
      }),
    )
    expect(page.Items).toHaveLength(1)
    expect(page.Items[0]).toMatchObject({
      type: 'Reservation',
      reservationTerm: '3 Years',
      unitOfMeasure: '1 Hour',
    })
    expect(page.Items[0]!.retailPrice).toBeGreaterThan(0.192 * 8760)
  })

  it('has disks, Azure Files, public IP and load balancer meters', async () => {
    const { items } = await getAll(
      query({ $filter: "armRegionName eq 'northeurope' and serviceFamily ne 'Compute'" }),
    )
    const meters = items.map((i) => i.meterName)
    expect(meters).toEqual(
      expect.arrayContaining([
        'P10 LRS Disk',
        'E10 LRS Disk',
        'Premium LRS Provisioned',
        'LRS Data Stored',
        'Standard IPv4 Static Public IP',
        'Standard Included LB Rules and Outbound Rules',
        'Standard Data Processed',
      ]),
    )
  })

  it('treats filter values case-insensitively before api-version 2023-01-01-preview only', async () => {
    const filter =
      "serviceName eq 'virtual machines' and armSkuName eq 'standard_b2s' and armRegionName eq 'eastus'"
    expect((await getPage(query({ $filter: filter }))).Count).toBeGreaterThan(0)
    expect(
      (await getPage(query({ 'api-version': '2023-01-01-preview', $filter: filter }))).Count,
    ).toBe(0)
  })

  it('answers empty, not an error, for currencyCode inside the filter', async () => {
    const page = await getPage(
      query({ $filter: "serviceName eq 'Virtual Machines' and currencyCode eq 'EUR'" }),
    )
    expect(page).toMatchObject({ Count: 0, Items: [], NextPageLink: null })
  })

  it('rejects a malformed filter, not(), an unknown currency and a bad $skip with 400', async () => {
    const badQueries: Array<Record<string, string>> = [
      { $filter: "serviceName eq 'Virtual Machines" },
      { $filter: "not(contains(productName, 'Windows'))" },
      { currencyCode: 'XYZ' },
      { $skip: '-5' },
    ]
    for (const params of badQueries) {
      const response = await get(query(params))
      expect(response.status).toBe(400)
      expect(response.body).toMatchObject({ error: { code: 'BadRequest' } })
    }
  })
})
