import type { PoolSpec } from '../../../../shared/pool-spec'
import type { ArmClients } from '../clients'
import { check, type Check } from './check'

/*
 * Marketplace terms of an image's plan: accepted per subscription, only on the person's word.
 */

export interface ImagePlan {
  publisher: string
  product: string
  name: string
}

const marketplaceApiVersion = '2021-01-01'

export function termsPath(subscriptionId: string, plan: ImagePlan): string {
  const e = encodeURIComponent
  return `/subscriptions/${subscriptionId}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/${e(plan.publisher)}/offers/${e(plan.product)}/plans/${e(plan.name)}/agreements/current?api-version=${marketplaceApiVersion}`
}

interface Terms {
  properties?: { accepted?: boolean; signature?: string; licenseTextLink?: string }
}

export async function checkTerms(
  spec: PoolSpec,
  clients: ArmClients,
  plan: ImagePlan | undefined,
): Promise<Check> {
  const title = 'Marketplace terms'
  if (!plan)
    return check(
      'terms',
      title,
      'ok',
      `The ${spec.osType} Data Science VM image has no marketplace plan: there are no terms to accept.`,
    )
  const terms = await clients.request<Terms>('GET', termsPath(clients.context.subscriptionId, plan))
  if (terms.properties?.accepted)
    return check(
      'terms',
      title,
      'ok',
      `The terms of ${plan.publisher} ${plan.product} (${plan.name}) are accepted on this subscription.`,
    )
  return check(
    'terms',
    title,
    'problem',
    `The image's plan ${plan.publisher} / ${plan.product} / ${plan.name} has terms that are not accepted on this subscription yet${terms.properties?.licenseTextLink ? ` (licence: ${terms.properties.licenseTextLink})` : ''}.`,
    [
      {
        kind: 'acceptTerms',
        label: 'Read and accept the terms',
        publisher: plan.publisher,
        offer: plan.product,
        plan: plan.name,
      },
    ],
  )
}

/** Accepts a plan's terms on the subscription (only after the person confirmed). */
export async function acceptTerms(clients: ArmClients, plan: ImagePlan): Promise<boolean> {
  const path = termsPath(clients.context.subscriptionId, plan)
  const current = await clients.request<Terms>('GET', path)
  const accepted = await clients.request<Terms>('PUT', path, {
    properties: { ...current.properties, accepted: true },
  })
  return accepted.properties?.accepted === true
}
