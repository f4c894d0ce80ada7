import { createHash } from 'node:crypto'
import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { ok, type Route, type SandboxReply, type SandboxRequest } from '../../core/http'
import { view, type ArmResource } from '../../core/resources'

const termsType = 'Microsoft.MarketplaceOrdering/offertypes'
const agreementType = 'Microsoft.MarketplaceOrdering/agreements'
const provider = '/subscriptions/{subscriptionId}/providers/Microsoft.MarketplaceOrdering'
const termsPath = `${provider}/offerTypes/{offerType}/publishers/{publisherId}/offers/{offerId}/plans/{planId}/agreements/current`
const agreementPath = `${provider}/agreements/{publisherId}/offers/{offerId}/plans/{planId}`

/** Sign and cancel history kept beside the terms (never sent as terms). */
interface AgreementBookkeeping {
  signDate?: string
  cancelDate?: string
}

interface PlanKey {
  subscriptionId: string
  offerType: string
  publisher: string
  offer: string
  plan: string
}

/**
 * Where the accepted terms of a plan live in the resource table. Compute reads
 * `properties.accepted` here before it creates VMs from a marketplace image with a plan.
 */
export const agreementTermsId = (key: PlanKey) =>
  `/subscriptions/${key.subscriptionId}/providers/Microsoft.MarketplaceOrdering/offerTypes/${key.offerType.toLowerCase()}/publishers/${key.publisher}/offers/${key.offer}/plans/${key.plan}/agreements/current`

const planKey = (
  req: SandboxRequest,
  offerType = req.params.offerType ?? 'virtualmachine',
): PlanKey => ({
  subscriptionId: req.params.subscriptionId!,
  offerType,
  publisher: req.params.publisherId!,
  offer: req.params.offerId!,
  plan: req.params.planId!,
})

/** The terms' signature: stable for a plan and subscription, as a re-read of the same terms is. */
function termsSignature(key: PlanKey): string {
  return createHash('sha256')
    .update(`${key.subscriptionId}|${key.publisher}|${key.offer}|${key.plan}`.toLowerCase())
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .slice(0, 52)
}

/** The current terms of a plan: the stored ones, or fresh unaccepted ones. */
function currentTerms(ctx: SandboxContext, key: PlanKey): ArmResource {
  const stored = ctx.resources.get(agreementTermsId(key))
  if (stored) return stored
  const legal = `${key.publisher}%253a24${key.offer}%253a24${key.plan}`.toUpperCase()
  return {
    id: agreementTermsId(key),
    name: key.plan,
    type: termsType,
    properties: {
      publisher: key.publisher,
      product: key.offer,
      plan: key.plan,
      licenseTextLink: `https://mpcprodsa.blob.core.windows.net/legalterms/3E5ED_legalterms_${legal}.txt`,
      privacyPolicyLink: `https://mpcprodsa.blob.core.windows.net/privacypolicy/${key.publisher}_privacypolicy.txt`,
      marketplaceTermsLink: `https://mpcprodsa.blob.core.windows.net/marketplaceterms/3EDEF_marketplaceterms_VIRTUALMACHINE%253a24${legal}.txt`,
      retrieveDatetime: ctx.clock.nowIso(),
      signature: termsSignature(key),
      accepted: false,
    },
    sandbox: {},
  }
}

function setAccepted(ctx: SandboxContext, key: PlanKey, accepted: boolean): ArmResource {
  const terms = currentTerms(ctx, key)
  const book = terms.sandbox as AgreementBookkeeping
  const wasAccepted = terms.properties!.accepted === true
  terms.properties!.accepted = accepted
  terms.properties!.retrieveDatetime = ctx.clock.nowIso()
  if (accepted && !wasAccepted) {
    book.signDate = ctx.clock.nowIso()
    delete book.cancelDate
  }
  if (!accepted && wasAccepted) book.cancelDate = ctx.clock.nowIso()
  return ctx.resources.put(terms)
}

/** The agreement as the agreements/ endpoints (sign, cancel, get) show it. */
function agreementView(key: PlanKey, terms: ArmResource): Record<string, unknown> {
  const book = terms.sandbox as AgreementBookkeeping
  return {
    id: `/subscriptions/${key.subscriptionId}/providers/Microsoft.MarketplaceOrdering/agreements/${key.publisher}/offers/${key.offer}/plans/${key.plan}`,
    name: key.plan,
    type: agreementType,
    properties: {
      publisher: key.publisher,
      offer: key.offer,
      ...(book.signDate ? { signDate: book.signDate } : {}),
      ...(book.cancelDate ? { cancelDate: book.cancelDate } : {}),
      state: terms.properties!.accepted === true ? 'Active' : 'Canceled',
    },
  }
}

function putTerms(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const key = planKey(req)
  const body = req.json<{ properties?: { accepted?: unknown; signature?: unknown } }>()
  const accepted = body?.properties?.accepted
  if (typeof accepted !== 'boolean') {
    throw new ArmError(
      400,
      'BadRequest',
      "The request body must contain 'properties.accepted' (true or false).",
    )
  }
  const signature = body?.properties?.signature
  if (signature !== undefined && signature !== termsSignature(key)) {
    throw new ArmError(
      400,
      'BadRequest',
      'The signature of the terms does not match the current terms; get the terms again and accept those.',
    )
  }
  return ok(view(setAccepted(ctx, key, accepted)))
}

export function marketplaceRoutes(): Route[] {
  return [
    {
      service: 'arm',
      method: 'GET',
      pattern: termsPath,
      handler: (req, ctx) => ok(view(currentTerms(ctx, planKey(req)))),
    },
    { service: 'arm', method: 'PUT', pattern: termsPath, handler: putTerms },
    {
      service: 'arm',
      method: 'GET',
      pattern: agreementPath,
      handler: (req, ctx) => {
        const key = planKey(req)
        return ok(agreementView(key, currentTerms(ctx, key)))
      },
    },
    {
      service: 'arm',
      method: 'POST',
      pattern: `${agreementPath}/sign`,
      handler: (req, ctx) => {
        const key = planKey(req)
        return ok(agreementView(key, setAccepted(ctx, key, true)))
      },
    },
    {
      service: 'arm',
      method: 'POST',
      pattern: `${agreementPath}/cancel`,
      handler: (req, ctx) => {
        const key = planKey(req)
        return ok(agreementView(key, setAccepted(ctx, key, false)))
      },
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${provider}/agreements`,
      handler: (req, ctx) => {
        const accepted = ctx.resources
          .list({
            subscriptionId: req.params.subscriptionId!,
            type: 'Microsoft.MarketplaceOrdering/offertypes',
          })
          .filter((t) => t.properties?.accepted === true)
        // Azure answers this list with a bare array of agreements.
        return ok(
          accepted.map((terms) => {
            const p = terms.properties as { publisher: string; product: string; plan: string }
            const key = {
              subscriptionId: req.params.subscriptionId!,
              offerType: 'virtualmachine',
              publisher: p.publisher,
              offer: p.product,
              plan: p.plan,
            }
            return agreementView(key, terms)
          }),
        )
      },
    },
  ]
}
