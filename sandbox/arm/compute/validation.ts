import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { freeAddresses, subnetOf } from '../network/addresses'
import { checkNatCapacity, findNatPool } from '../network/nat'
import { availabilityOf, normalizeRegion } from './catalog'
import { nicConfigsOf, osTypeOf, type ScaleSetResource } from './model'

/** The checks Azure makes before it accepts a scale-set PUT or PATCH, with its error codes. */

type Json = Record<string, unknown>

export function invalidParameter(message: string, target?: string): ArmError {
  return new ArmError(400, 'InvalidParameter', message, target ? { target } : {})
}

export function requireParameter(value: unknown, name: string): void {
  if (value === undefined || value === null)
    throw invalidParameter(`Required parameter '${name}' is missing (null).`, name)
}

/** The VM size exists and is offered to the subscription in the region. */
export function checkVmSize(sizeName: string, location: string, resourceName: string): void {
  const availability = availabilityOf(sizeName, location)
  if (availability === 'unknown') {
    throw invalidParameter(
      `The value ${sizeName} provided for the VM size is not valid. The valid sizes in the current region can be found with the 'az vm list-sizes' command or the Resource SKUs API.`,
      'vmSize',
    )
  }
  if (availability !== 'available') {
    throw new ArmError(
      409,
      'SkuNotAvailable',
      `The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: ${sizeName}' is currently not available in location '${normalizeRegion(location)}'. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.`,
      { target: resourceName },
    )
  }
}

/** Marketplace images with a plan need the plan's terms accepted on the subscription. */
export function checkPlanTerms(
  ctx: SandboxContext,
  subscriptionId: string,
  plan: Json | undefined,
  correlationId: string,
): void {
  if (!plan) return
  const publisher = String(plan.publisher ?? '')
  const product = String(plan.product ?? '')
  const name = String(plan.name ?? '')
  if (!publisher || !product || !name) {
    throw invalidParameter("The plan must have 'name', 'publisher' and 'product'.", 'plan')
  }
  const agreementId = `/subscriptions/${subscriptionId}/providers/Microsoft.MarketplaceOrdering/offerTypes/virtualmachine/publishers/${publisher}/offers/${product}/plans/${name}/agreements/current`
  const agreement = ctx.resources.get(agreementId)
  if (agreement?.properties?.accepted === true) return
  throw new ArmError(
    400,
    'ResourcePurchaseValidationFailed',
    `User failed validation to purchase resources. Error message: 'You have not accepted the legal terms on this subscription: '${subscriptionId}' for this plan. Before the subscription can be used, you need to accept the legal terms of the image. To read and accept legal terms, use the Azure CLI commands described at https://go.microsoft.com/fwlink/?linkid=2110637 or the PowerShell commands available at https://go.microsoft.com/fwlink/?linkid=862451. Alternatively, deploying via the Azure portal provides a UI experience for reading and accepting the legal terms. Offer details: publisher='${publisher}' offer = '${product}', sku = '${name}', Correlation Id: '${correlationId}'.'`,
  )
}

function invalidReference(reference: string, from: string): ArmError {
  return new ArmError(
    400,
    'InvalidResourceReference',
    `Resource ${reference} referenced by resource ${from} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
  )
}

/** Subnets, NSGs, backend pools and NAT pools the network profile names must exist. */
export function checkNetworkReferences(ctx: SandboxContext, scaleSet: ScaleSetResource): void {
  const nics = nicConfigsOf(scaleSet)
  if (nics.length === 0) {
    throw invalidParameter(
      'At least one network interface configuration is required.',
      'networkProfile.networkInterfaceConfigurations',
    )
  }
  for (const nic of nics) {
    if (!nic.subnetId)
      throw invalidParameter(`Required parameter 'subnet' is missing (null).`, 'subnet')
    const found = subnetOf(ctx, nic.subnetId)
    if (!found) throw invalidReference(nic.subnetId, scaleSet.id)
    if (normalizeRegion(found.vnet.location ?? '') !== normalizeRegion(scaleSet.location ?? '')) {
      throw new ArmError(
        400,
        'InvalidResourceReference',
        `Subnet ${nic.subnetId} is in location '${found.vnet.location}' but scale set ${scaleSet.id} is in location '${scaleSet.location}'. Both must be in the same region.`,
      )
    }
    if (nic.networkSecurityGroupId && !ctx.resources.get(nic.networkSecurityGroupId)) {
      throw invalidReference(nic.networkSecurityGroupId, scaleSet.id)
    }
    for (const poolId of nic.backendPoolIds) {
      const m = /^(.*\/loadBalancers\/[^/]+)\/backendAddressPools\/([^/]+)$/i.exec(poolId)
      const lb = m ? ctx.resources.get(m[1]!) : undefined
      const pools = (lb?.properties?.backendAddressPools as Json[] | undefined) ?? []
      if (!m || !pools.some((p) => String(p.name).toLowerCase() === m[2]!.toLowerCase()))
        throw invalidReference(poolId, scaleSet.id)
    }
    for (const poolId of nic.natPoolIds) {
      if (!findNatPool(ctx, poolId)) throw invalidReference(poolId, scaleSet.id)
    }
  }
}

/** Room for `additional` more instances: NAT pool ports and subnet addresses. */
export function checkNetworkCapacity(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  additional: number,
): void {
  if (additional <= 0) return
  checkNatCapacity(ctx, scaleSet, additional)
  const subnetId = nicConfigsOf(scaleSet)[0]?.subnetId
  if (subnetId && freeAddresses(ctx, subnetId) < additional) {
    throw new ArmError(
      400,
      'SubnetIsFull',
      `Subnet ${subnetId} does not have enough capacity for ${additional} IP addresses.`,
    )
  }
}

export function checkCapacityValue(capacity: unknown, singlePlacementGroup: boolean): number {
  const value = Number(capacity)
  if (!Number.isInteger(value) || value < 0) {
    throw invalidParameter(
      `The value ${String(capacity)} of parameter 'sku.capacity' is invalid. It must be a non-negative integer.`,
      'sku.capacity',
    )
  }
  const limit = singlePlacementGroup ? 100 : 1000
  if (value > limit) {
    throw invalidParameter(
      singlePlacementGroup
        ? `The requested capacity ${value} exceeds the maximum of 100 virtual machines for a scale set with a single placement group. Set 'singlePlacementGroup' to false to allow up to 1000.`
        : `The requested capacity ${value} exceeds the maximum of 1000 virtual machines for a scale set.`,
      'sku.capacity',
    )
  }
  return value
}

/**
 * The computer name prefix, as the API documents it: 1 to 15 characters for Windows (up to 58
 * for Linux), not entirely numeric on Windows, none of the characters host names cannot have.
 */
export function checkComputerNamePrefix(scaleSet: ScaleSetResource): void {
  const osProfile = (scaleSet.properties.virtualMachineProfile?.osProfile ?? {}) as Json
  const prefix = String(osProfile.computerNamePrefix ?? scaleSet.name)
  const windows = osTypeOf(scaleSet) === 'Windows'
  const limit = windows ? 15 : 58
  const forbidden = /[\s`~!@#$%^&*()=+[\]{}\\|;:'",<>/?]/
  if (
    prefix.length === 0 ||
    prefix.length > limit ||
    (windows && /^\d+$/.test(prefix)) ||
    forbidden.test(prefix)
  ) {
    throw invalidParameter(
      `Computer name prefix '${prefix}' is invalid. ${windows ? 'Windows' : 'Linux'} computer name prefixes must be 1 to ${limit} characters long${windows ? ', cannot be entirely numeric,' : ''} and cannot contain whitespace or the characters \` ~ ! @ # $ % ^ & * ( ) = + [ ] { } \\ | ; : ' " , < > / ?.`,
      'computerNamePrefix',
    )
  }
}

/** Hibernation is a Flexible-orchestration feature: a Uniform scale set cannot enable it. */
export function checkHibernation(scaleSet: { properties: Record<string, unknown> }): void {
  const capabilities = scaleSet.properties.additionalCapabilities as
    Record<string, unknown> | undefined
  const uniform =
    String(scaleSet.properties.orchestrationMode ?? 'Uniform').toLowerCase() === 'uniform'
  if (uniform && capabilities?.hibernationEnabled === true)
    throw hibernationOnUniform('additionalCapabilities.hibernationEnabled')
}

export function hibernationOnUniform(target: string): ArmError {
  return invalidParameter(
    "Hibernation is not supported for Virtual Machine Scale Sets with 'Uniform' orchestration mode. Use a scale set with 'Flexible' orchestration mode to hibernate its virtual machines.",
    target,
  )
}
