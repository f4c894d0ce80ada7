import type { SandboxContext } from '../../core/context'
import type { ArmResource } from '../../core/resources'
import { stableBytes } from '../compute/request-helpers'

/**
 * Private addresses handed out from a subnet's prefix (Azure reserves the first four) and
 * public addresses that look like Azure's. Allocations live in the virtual network's
 * bookkeeping so that two NICs never get the same address.
 */

type Json = Record<string, unknown>

export function subnetOf(
  ctx: SandboxContext,
  subnetId: string,
): { vnet: ArmResource; subnet: Json } | undefined {
  const m = /^(.*\/virtualNetworks\/[^/]+)\/subnets\/([^/]+)$/i.exec(subnetId)
  if (!m) return undefined
  const vnet = ctx.resources.get(m[1]!)
  if (!vnet) return undefined
  const subnets = (vnet.properties?.subnets as Json[] | undefined) ?? []
  const subnet = subnets.find((s) => String(s.name).toLowerCase() === m[2]!.toLowerCase())
  return subnet ? { vnet, subnet } : undefined
}

const toInt = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0)
const toIp = (n: number) =>
  [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')

function prefixRange(prefix: string): { first: number; last: number } | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(prefix)
  if (!m) return undefined
  const size = 2 ** (32 - Number(m[2]))
  const base = toInt(m[1]!) - (toInt(m[1]!) % size)
  return { first: base + 4, last: base + size - 2 }
}

interface Allocations {
  allocated?: Record<string, string[]>
}

/** The lowest free address of the subnet, recorded as taken; undefined when the subnet is full. */
export function allocatePrivateIp(ctx: SandboxContext, subnetId: string): string | undefined {
  const found = subnetOf(ctx, subnetId)
  if (!found) return undefined
  const range = prefixRange(
    String((found.subnet.properties as Json | undefined)?.addressPrefix ?? ''),
  )
  if (!range) return undefined
  const book = (found.vnet.sandbox ??= {}) as Allocations
  const key = String(found.subnet.name).toLowerCase()
  const taken = new Set((book.allocated ??= {})[key] ?? [])
  for (let n = range.first; n <= range.last; n++) {
    const ip = toIp(n)
    if (!taken.has(ip)) {
      book.allocated[key] = [...taken, ip]
      ctx.resources.touch()
      return ip
    }
  }
  return undefined
}

export function releasePrivateIp(ctx: SandboxContext, subnetId: string, ip: string): void {
  const found = subnetOf(ctx, subnetId)
  const book = found?.vnet.sandbox as Allocations | undefined
  const key = String(found?.subnet.name ?? '').toLowerCase()
  const list = book?.allocated?.[key]
  if (!list) return
  book!.allocated![key] = list.filter((a) => a !== ip)
  ctx.resources.touch()
}

/** Number of addresses still free in the subnet. */
export function freeAddresses(ctx: SandboxContext, subnetId: string): number {
  const found = subnetOf(ctx, subnetId)
  const range = prefixRange(
    String((found?.subnet.properties as Json | undefined)?.addressPrefix ?? ''),
  )
  if (!found || !range) return 0
  const taken = (
    (found.vnet.sandbox as Allocations | undefined)?.allocated?.[
      String(found.subnet.name).toLowerCase()
    ] ?? []
  ).length
  return range.last - range.first + 1 - taken
}

/** A public address in one of Azure's 20.x ranges, stable for the resource id. */
export function publicIpFor(resourceId: string, attempt = 0): string {
  const [a, b, c] = stableBytes(`${resourceId}#${attempt}`, 3) as [number, number, number]
  return `20.${40 + (a % 200)}.${b}.${1 + (c % 254)}`
}

export function macAddressFor(seed: string): string {
  return stableBytes(seed, 6)
    .map((byte, i) => (i === 0 ? byte & 0xfe : byte).toString(16).padStart(2, '0').toUpperCase())
    .join('-')
}

/** The DNS suffix Azure gives NICs of a virtual network (e.g. abc...xyz.bx.internal.cloudapp.net). */
export function internalDnsSuffix(vnetId: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const bytes = stableBytes(vnetId, 28)
  const word = bytes
    .slice(0, 26)
    .map((b) => letters[b % 26])
    .join('')
  const region = bytes
    .slice(26)
    .map((b) => letters[b % 26])
    .join('')
  return `${word}.${region}.internal.cloudapp.net`
}
