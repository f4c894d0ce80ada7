import { createHash } from 'node:crypto'
import { ArmError, resourceGroupNotFound } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import type { SandboxRequest } from '../../core/http'
import { findResourceGroup, requireResourceGroup as requireGroup } from '../resources'

/**
 * Small pieces every resource provider of the sandbox (compute, network, monitor) needs:
 * the resource-group check, ETag preconditions, body checks, stable pseudo-random values.
 */

type Json = Record<string, unknown>

/**
 * 404 ResourceGroupNotFound unless the group exists, 409 while it is being deleted (Azure
 * checks this before anything else); the resources module owns the groups.
 */
export function requireResourceGroup(
  ctx: SandboxContext,
  subscriptionId: string,
  resourceGroup: string,
): void {
  requireGroup(ctx, subscriptionId, resourceGroup)
}

/**
 * What a read of a missing resource answers: ResourceGroupNotFound when the group itself is
 * missing (as ARM answers before the provider is asked), otherwise the provider's not-found.
 */
export function notFoundIn(
  ctx: SandboxContext,
  subscriptionId: string,
  resourceGroup: string,
  notFound: ArmError,
): ArmError {
  return findResourceGroup(ctx, subscriptionId, resourceGroup)
    ? notFound
    : resourceGroupNotFound(resourceGroup)
}

/** DELETE of something that is not there: 204, unless its group is missing too (404). */
export function nothingToDelete(
  ctx: SandboxContext,
  subscriptionId: string,
  resourceGroup: string,
): { status: number } {
  if (!findResourceGroup(ctx, subscriptionId, resourceGroup))
    throw resourceGroupNotFound(resourceGroup)
  return { status: 204 }
}

export function requireLocation(body: Json): string {
  if (typeof body.location !== 'string' || body.location.trim() === '') {
    throw new ArmError(
      400,
      'LocationRequired',
      'The location property is required for this definition.',
    )
  }
  return body.location
}

/** If-Match / If-None-Match as ARM evaluates them; 412 PreconditionFailed when they fail. */
export function checkPreconditions(req: SandboxRequest, currentEtag: string | undefined): void {
  const ifMatch = req.header('if-match')
  const ifNoneMatch = req.header('if-none-match')
  if (ifMatch !== undefined) {
    const wanted = ifMatch.split(',').map((s) => s.trim())
    const matches =
      currentEtag !== undefined &&
      (wanted.includes('*') || wanted.some((e) => sameEtag(e, currentEtag)))
    if (!matches) {
      throw new ArmError(
        412,
        'PreconditionFailed',
        currentEtag === undefined
          ? `The resource does not exist, so the precondition 'If-Match: ${ifMatch}' cannot be met.`
          : `Etag provided in if-match header ${ifMatch} does not match etag ${currentEtag} of resource.`,
      )
    }
  }
  if (ifNoneMatch !== undefined && currentEtag !== undefined) {
    const unwanted = ifNoneMatch.split(',').map((s) => s.trim())
    if (unwanted.includes('*') || unwanted.some((e) => sameEtag(e, currentEtag))) {
      throw new ArmError(
        412,
        'PreconditionFailed',
        `The resource already exists with etag ${currentEtag}, so the precondition 'If-None-Match: ${ifNoneMatch}' failed.`,
      )
    }
  }
}

const bareEtag = (etag: string) => etag.replace(/^W\//, '').replace(/^"|"$/g, '')
const sameEtag = (a: string, b: string) => bareEtag(a) === bareEtag(b)

/** Deterministic bytes from a string: stable addresses and ids for the same resource. */
export function stableBytes(seed: string, count: number): number[] {
  return [...createHash('sha256').update(seed.toLowerCase()).digest().subarray(0, count)]
}

export function apiVersionOf(req: SandboxRequest): string {
  return req.query('api-version') ?? ''
}

export const clone = <T>(value: T): T => structuredClone(value)

/** Parses ISO 8601 durations such as PT5M, PT1H30M, P1D into milliseconds. */
export function durationMs(value: string): number {
  const m =
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
      value.trim(),
    )
  if (!m || value.trim().toUpperCase() === 'P' || value.trim().toUpperCase() === 'PT') {
    throw new ArmError(400, 'InvalidRequestContent', `'${value}' is not a valid ISO 8601 duration.`)
  }
  const [, d, h, min, s] = m
  return (
    ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 +
    Number(s ?? 0) * 1000
  )
}

/** A `{name}` segment of the matched route (always present when the route matched). */
export function param(req: SandboxRequest, name: string): string {
  return req.params[name] ?? ''
}
