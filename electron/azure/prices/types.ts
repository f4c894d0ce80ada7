import { z } from 'zod'

/** One meter as the Retail Prices API returns it (fields the app reads; others pass through). */
export const retailPriceItemSchema = z.looseObject({
  currencyCode: z.string(),
  tierMinimumUnits: z.number().default(0),
  retailPrice: z.number(),
  unitPrice: z.number(),
  armRegionName: z.string(),
  location: z.string().default(''),
  effectiveStartDate: z.string().default(''),
  meterId: z.string(),
  meterName: z.string(),
  productName: z.string(),
  skuName: z.string(),
  serviceName: z.string(),
  serviceFamily: z.string().default(''),
  unitOfMeasure: z.string(),
  type: z.string(),
  isPrimaryMeterRegion: z.boolean().default(true),
  armSkuName: z.string().default(''),
  reservationTerm: z.string().optional(),
})
export type RetailPriceItem = z.infer<typeof retailPriceItemSchema>

/** One page of results. */
export const retailPricesPageSchema = z.looseObject({
  BillingCurrency: z.string().optional(),
  Items: z.array(retailPriceItemSchema),
  NextPageLink: z.string().nullable().optional(),
})
