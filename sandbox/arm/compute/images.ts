import { ArmError } from '../../core/arm-error'
import type { Route, SandboxReply, SandboxRequest } from '../../core/http'
import { normalizeRegion, sandboxRegions } from './catalog'

/**
 * Marketplace VM images: publishers, offers, SKUs, versions and one version's details, for
 * `az vm image list-skus/list`, the portal's image picker and templates that resolve
 * 'latest'. The sandbox offers the Data Science VM images the pool template deploys and the
 * Ubuntu images people compare them with; the version names are the sandbox's own.
 */

interface ImageSku {
  name: string
  os: 'Linux' | 'Windows'
  hyperVGeneration: 'V1' | 'V2'
  versions: string[]
  sizeInGb: number
}

const images: Record<string, Record<string, ImageSku[]>> = {
  'microsoft-dsvm': {
    'ubuntu-2204': [
      { name: '2204', os: 'Linux', hyperVGeneration: 'V1', versions: dsvm(), sizeInGb: 150 },
      { name: '2204-gen2', os: 'Linux', hyperVGeneration: 'V2', versions: dsvm(), sizeInGb: 150 },
    ],
    'dsvm-win-2022': [
      {
        name: 'winserver-2022',
        os: 'Windows',
        hyperVGeneration: 'V1',
        versions: dsvm(),
        sizeInGb: 127,
      },
    ],
  },
  canonical: {
    '0001-com-ubuntu-server-jammy': [
      {
        name: '22_04-lts-gen2',
        os: 'Linux',
        hyperVGeneration: 'V2',
        versions: ['22.04.202410020', '22.04.202411010', '22.04.202411190'],
        sizeInGb: 30,
      },
    ],
    'ubuntu-24_04-lts': [
      {
        name: 'server',
        os: 'Linux',
        hyperVGeneration: 'V2',
        versions: ['24.04.202410090', '24.04.202411030', '24.04.202411190'],
        sizeInGb: 30,
      },
    ],
  },
}

function dsvm(): string[] {
  return ['24.09.23', '24.10.21', '24.11.12']
}

/** The version 'latest' resolves to for an image reference (undefined for images we don't list). */
export function latestImageVersion(reference: Record<string, unknown>): string | undefined {
  const sku = findSku(
    String(reference.publisher ?? ''),
    String(reference.offer ?? ''),
    String(reference.sku ?? ''),
  )
  return sku?.versions.at(-1)
}

const find = <T>(record: Record<string, T>, name: string): [string, T] | undefined =>
  Object.entries(record).find(([key]) => key.toLowerCase() === name.toLowerCase())

function findSku(publisher: string, offer: string, sku: string): ImageSku | undefined {
  const offers = find(images, publisher)?.[1]
  const skus = offers ? find(offers, offer)?.[1] : undefined
  return skus?.find((s) => s.name.toLowerCase() === sku.toLowerCase())
}

const notFound = () => new ArmError(404, 'NotFound', 'Artifact: VMImage was not found.')

function locationOf(req: SandboxRequest): string {
  const region = normalizeRegion(req.params.location!)
  if (!sandboxRegions.includes(region))
    throw new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location '${req.params.location}' and API version '${req.query('api-version')}' for type 'locations'.`,
    )
  return region
}

function entry(req: SandboxRequest, region: string, path: string[], name: string) {
  const base = `/Subscriptions/${req.params.subscriptionId}/Providers/Microsoft.Compute/Locations/${region}`
  return { location: region, name, id: `${base}/${[...path, name].join('/')}` }
}

/** Azure's $top and $orderby=name [asc|desc] on image lists. */
function page<T extends { name: string }>(req: SandboxRequest, items: T[]): T[] {
  const orderby = req.query('$orderby')
  let out = [...items]
  if (orderby && /^name(\s+(asc|desc))?$/i.test(orderby.trim())) {
    out.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
    if (/desc$/i.test(orderby.trim())) out.reverse()
  }
  const top = Number(req.query('$top'))
  if (Number.isInteger(top) && top > 0) out = out.slice(0, top)
  return out
}

const list = (body: unknown): SandboxReply => ({ status: 200, body })

function publishers(req: SandboxRequest) {
  const region = locationOf(req)
  return list(Object.keys(images).map((p) => entry(req, region, ['Publishers'], p)))
}

function offers(req: SandboxRequest) {
  const region = locationOf(req)
  const [publisher, byOffer] = find(images, req.params.publisher!) ?? []
  if (!byOffer) throw notFound()
  return list(
    Object.keys(byOffer).map((o) =>
      entry(req, region, ['Publishers', publisher!, 'ArtifactTypes', 'VMImage', 'Offers'], o),
    ),
  )
}

function skus(req: SandboxRequest) {
  const region = locationOf(req)
  const [publisher, byOffer] = find(images, req.params.publisher!) ?? []
  const [offer, skuList] = (byOffer && find(byOffer, req.params.offer!)) ?? []
  if (!skuList) throw notFound()
  const path = ['Publishers', publisher!, 'ArtifactTypes', 'VMImage', 'Offers', offer!, 'Skus']
  return list(
    skuList.map((s) => ({
      ...entry(req, region, path, s.name),
      properties: { automaticOSUpgradeProperties: { automaticOSUpgradeSupported: false } },
    })),
  )
}

function skuOf(req: SandboxRequest) {
  const sku = findSku(req.params.publisher!, req.params.offer!, req.params.sku!)
  if (!sku) throw notFound()
  const [publisher] = find(images, req.params.publisher!)!
  const [offer] = find(find(images, publisher)![1], req.params.offer!)!
  const path = [
    'Publishers',
    publisher,
    'ArtifactTypes',
    'VMImage',
    'Offers',
    offer,
    'Skus',
    sku.name,
    'Versions',
  ]
  return { sku, path }
}

function versions(req: SandboxRequest) {
  const region = locationOf(req)
  const { sku, path } = skuOf(req)
  return list(
    page(
      req,
      sku.versions.map((v) => entry(req, region, path, v)),
    ),
  )
}

function version(req: SandboxRequest) {
  const region = locationOf(req)
  const { sku, path } = skuOf(req)
  const wanted = req.params.version!.toLowerCase()
  const name = wanted === 'latest' ? sku.versions.at(-1)! : sku.versions.find((v) => v === wanted)
  if (!name) throw notFound()
  return list({
    ...entry(req, region, path, name),
    properties: {
      hyperVGeneration: sku.hyperVGeneration,
      architecture: 'x64',
      replicaType: 'Managed',
      disallowed: { vmDiskType: 'None' },
      automaticOSUpgradeProperties: { automaticOSUpgradeSupported: false },
      imageDeprecationStatus: { imageState: 'Active' },
      features: [{ name: 'IsAcceleratedNetworkSupported', value: 'True' }],
      osDiskImage: {
        operatingSystem: sku.os,
        sizeInBytes: sku.sizeInGb * 2 ** 30,
        sizeInGb: sku.sizeInGb,
      },
      dataDiskImages: [],
    },
  })
}

const base =
  '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/publishers'
const offerPath = `${base}/{publisher}/artifacttypes/vmimage/offers`
const skuPath = `${offerPath}/{offer}/skus`

export const imageRoutes: Route[] = [
  { service: 'arm', method: 'GET', pattern: base, handler: publishers },
  { service: 'arm', method: 'GET', pattern: offerPath, handler: offers },
  { service: 'arm', method: 'GET', pattern: skuPath, handler: skus },
  { service: 'arm', method: 'GET', pattern: `${skuPath}/{sku}/versions`, handler: versions },
  {
    service: 'arm',
    method: 'GET',
    pattern: `${skuPath}/{sku}/versions/{version}`,
    handler: version,
  },
]
