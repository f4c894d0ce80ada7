import type { SandboxReply } from '../../core/http'
import {
  createShare,
  deleteShare,
  listShares,
  shareBookkeeping,
  updateShare,
  type ShareSettings,
} from '../../arm/storage/shares'
import type { ArmResource } from '../../core/resources'
import { invalidQuery } from '../errors'
import { element, optionalElement, xmlDeclaration, escapeXml } from '../xml'
import {
  httpDate,
  metadataFromHeaders,
  metadataHeaders,
  parseNonNegativeInteger,
  requireShare,
  type FilesCall,
} from './call'

function settingsFromHeaders(call: FilesCall): ShareSettings {
  const quota = call.req.header('x-ms-share-quota')
  const tier = call.req.header('x-ms-access-tier')
  const metadata = metadataFromHeaders(call)
  return {
    ...(quota !== undefined
      ? { quotaGiB: parseNonNegativeInteger(call, 'x-ms-share-quota', quota) }
      : {}),
    ...(tier !== undefined ? { accessTier: tier } : {}),
    ...(metadata ? { metadata } : {}),
  }
}

const lastModified = (share: ArmResource) => Date.parse(String(share.properties?.lastModifiedTime))

function shareHeaders(share: ArmResource): Record<string, string> {
  return {
    ETag: share.etag!,
    'Last-Modified': httpDate(lastModified(share)),
  }
}

export function createShareOperation(call: FilesCall): SandboxReply {
  const share = createShare(call.ctx, call.account, call.parts[0]!, settingsFromHeaders(call))
  return { status: 201, headers: shareHeaders(share) }
}

export function getShareProperties(call: FilesCall): SandboxReply {
  const share = requireShare(call)
  const props = share.properties!
  return {
    status: 200,
    headers: {
      ...shareHeaders(share),
      ...metadataHeaders(shareBookkeeping(share).metadata),
      'x-ms-share-quota': String(props.shareQuota),
      'x-ms-access-tier': String(props.accessTier),
      'x-ms-access-tier-change-time': httpDate(Date.parse(String(props.accessTierChangeTime))),
      'x-ms-enabled-protocols': 'SMB',
      'x-ms-lease-state': 'available',
      'x-ms-lease-status': 'unlocked',
    },
  }
}

export function deleteShareOperation(call: FilesCall): SandboxReply {
  deleteShare(call.ctx, requireShare(call))
  return { status: 202 }
}

export function setShareProperties(call: FilesCall): SandboxReply {
  const share = updateShare(call.ctx, call.account, requireShare(call), settingsFromHeaders(call))
  return { status: 200, headers: shareHeaders(share) }
}

export function setShareMetadata(call: FilesCall): SandboxReply {
  const share = updateShare(call.ctx, call.account, requireShare(call), {
    metadata: metadataFromHeaders(call) ?? {},
  })
  return { status: 200, headers: shareHeaders(share) }
}

export function getShareStats(call: FilesCall): SandboxReply {
  const share = requireShare(call)
  return {
    status: 200,
    headers: { ...shareHeaders(share), 'Content-Type': 'application/xml' },
    body: `${xmlDeclaration}<ShareStats><ShareUsageBytes>${shareBookkeeping(share).usedBytes}</ShareUsageBytes></ShareStats>`,
  }
}

/** List Shares: prefix, marker (the next share's name) and maxresults, include=metadata. */
export function listSharesOperation(call: FilesCall): SandboxReply {
  const prefix = call.req.query('prefix') ?? ''
  const marker = call.req.query('marker') ?? ''
  const maxResultsParam = call.req.query('maxresults')
  const maxResults = maxResultsParam === undefined ? 5000 : Number(maxResultsParam)
  if (!Number.isInteger(maxResults) || maxResults < 1)
    throw invalidQuery('maxresults', maxResultsParam ?? '')
  const includeMetadata = (call.req.query('include') ?? '')
    .toLowerCase()
    .split(',')
    .includes('metadata')
  const shares = listShares(call.ctx, call.account).filter(
    (s) => s.name.startsWith(prefix) && s.name >= marker,
  )
  const page = shares.slice(0, Math.min(maxResults, 5000))
  const next = shares[page.length]?.name ?? ''
  const items = page
    .map((share) => {
      const props = share.properties!
      const metadata = includeMetadata
        ? `<Metadata>${Object.entries(shareBookkeeping(share).metadata)
            .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
            .join('')}</Metadata>`
        : ''
      return `<Share>${element('Name', share.name)}<Properties>${element('Last-Modified', httpDate(lastModified(share)))}${element('Etag', share.etag)}${element('Quota', String(props.shareQuota))}${element('AccessTier', String(props.accessTier))}${element('AccessTierChangeTime', httpDate(Date.parse(String(props.accessTierChangeTime))))}${element('EnabledProtocols', 'SMB')}${element('LeaseStatus', 'unlocked')}${element('LeaseState', 'available')}</Properties>${metadata}</Share>`
    })
    .join('')
  const body = `${xmlDeclaration}<EnumerationResults ServiceEndpoint="${escapeXml(`${call.ctx.endpoints.filesEndpoint}/${call.account.name}/`)}">${optionalElement('Prefix', prefix)}${optionalElement('Marker', marker)}${optionalElement('MaxResults', maxResultsParam)}<Shares>${items}</Shares>${element('NextMarker', next)}</EnumerationResults>`
  return { status: 200, headers: { 'Content-Type': 'application/xml' }, body }
}
