import type { SandboxReply } from '../../core/http'
import type { ArmResource } from '../../core/resources'
import { FilesError, invalidQuery, resourceNotFound } from '../errors'
import { compareNames, rootFileId, type FileEntry } from '../namespace'
import { element, escapeXml, optionalElement, xmlDeclaration } from '../xml'
import {
  entryHeaders,
  fileTime,
  httpDate,
  metadataFromHeaders,
  metadataHeaders,
  pathInShare,
  requireShare,
  smbPropertiesFromHeaders,
  type FilesCall,
} from './call'

const maxListResults = 5000

/** The share's root directory, which exists as long as the share does. */
function rootEntry(call: FilesCall, share: ArmResource): FileEntry {
  const modified = Date.parse(String(share.properties?.lastModifiedTime))
  return {
    kind: 'directory',
    account: call.account.name,
    share: share.name,
    path: '',
    name: '',
    fileId: rootFileId,
    parentId: '',
    creationTime: modified,
    lastWriteTime: modified,
    changeTime: modified,
    lastModified: modified,
    etag: share.etag!,
    attributes: 'Directory',
    permissionKey: '4066528134148476695*1',
    metadata: {},
  }
}

function requireDirectory(call: FilesCall): FileEntry {
  const share = requireShare(call)
  const parts = pathInShare(call)
  if (parts.length === 0) return rootEntry(call, share)
  const entry = call.namespace.get(call.account.name, share.name, parts)
  if (!entry || entry.kind !== 'directory') throw resourceNotFound()
  return entry
}

export function createDirectory(call: FilesCall): SandboxReply {
  const share = requireShare(call)
  const parts = pathInShare(call)
  if (parts.length === 0) throw resourceAlreadyExistsForRoot()
  const { entry } = call.namespace.create(call.account.name, share.name, parts, 'directory', {
    ...smbPropertiesFromHeaders(call),
    ...optionalMetadata(call),
  })
  return {
    status: 201,
    headers: { ...entryHeaders(entry), 'x-ms-request-server-encrypted': 'true' },
  }
}

const resourceAlreadyExistsForRoot = () =>
  new FilesError(409, 'ResourceAlreadyExists', 'The specified resource already exists.')

function optionalMetadata(call: FilesCall): { metadata?: Record<string, string> } {
  const metadata = metadataFromHeaders(call)
  return metadata ? { metadata } : {}
}

export function getDirectoryProperties(call: FilesCall): SandboxReply {
  const entry = requireDirectory(call)
  return {
    status: 200,
    headers: {
      ...entryHeaders(entry),
      ...metadataHeaders(entry.metadata),
      'x-ms-server-encrypted': 'true',
    },
  }
}

export function deleteDirectory(call: FilesCall): SandboxReply {
  const share = requireShare(call)
  const parts = pathInShare(call)
  const entry = call.namespace.get(call.account.name, share.name, parts)
  if (!entry || entry.kind !== 'directory') throw resourceNotFound()
  if (call.namespace.children(call.account.name, share.name, parts).length > 0) {
    throw new FilesError(409, 'DirectoryNotEmpty', 'The specified directory is not empty.')
  }
  call.namespace.delete(call.account.name, share.name, parts)
  return { status: 202 }
}

export function setDirectoryMetadata(call: FilesCall): SandboxReply {
  const entry = requireDirectory(call)
  if (entry.path === '') return { status: 200, headers: entryHeaders(entry) }
  entry.metadata = metadataFromHeaders(call) ?? {}
  call.namespace.touch(entry)
  return { status: 200, headers: entryHeaders(entry) }
}

export function setDirectoryProperties(call: FilesCall): SandboxReply {
  const entry = requireDirectory(call)
  if (entry.path === '') return { status: 200, headers: entryHeaders(entry) }
  applySmbProperties(call, entry)
  call.namespace.touch(entry)
  return { status: 200, headers: entryHeaders(entry) }
}

export function applySmbProperties(call: FilesCall, entry: FileEntry): void {
  const smb = smbPropertiesFromHeaders(call)
  if (smb.attributes !== undefined) {
    const attributes = smb.attributes
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean)
    entry.attributes =
      entry.kind === 'directory'
        ? ['Directory', ...attributes.filter((a) => a !== 'Directory' && a !== 'None')].join(' | ')
        : attributes.filter((a) => a !== 'None').join(' | ') || 'Archive'
  }
  if (smb.creationTime !== undefined) entry.creationTime = smb.creationTime
  if (smb.lastWriteTime !== undefined) entry.lastWriteTime = smb.lastWriteTime
}

/**
 * List Directories and Files: entries in name order, `prefix`, `marker`/`maxresults` paging
 * with an opaque NextMarker, `include=Timestamps,ETag,Attributes,PermissionKey` and, with
 * `x-ms-file-extended-info: true`, file ids.
 */
export function listDirectory(call: FilesCall): SandboxReply {
  const directory = requireDirectory(call)
  const share = call.parts[0]!
  const prefix = call.req.query('prefix') ?? ''
  const markerParam = call.req.query('marker') ?? ''
  const maxResultsParam = call.req.query('maxresults')
  const maxResults = maxResultsParam === undefined ? maxListResults : Number(maxResultsParam)
  if (!Number.isInteger(maxResults) || maxResults < 1)
    throw invalidQuery('maxresults', maxResultsParam ?? '')
  const include = new Set(
    (call.req.query('include') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  )
  for (const item of include) {
    if (!['timestamps', 'etag', 'attributes', 'permissionkey'].includes(item))
      throw invalidQuery('include', call.req.query('include')!)
  }
  const extended = call.req.header('x-ms-file-extended-info')?.toLowerCase() === 'true'
  const markerName = markerParam ? decodeMarker(markerParam) : undefined
  if (markerParam && markerName === undefined) throw invalidQuery('marker', markerParam)

  const matching = call.namespace
    .children(call.account.name, share, pathInShare(call))
    .filter((e) => e.name.toLowerCase().startsWith(prefix.toLowerCase()))
    .filter((e) => markerName === undefined || compareNames(e.name, markerName) >= 0)
  const page = matching.slice(0, Math.min(maxResults, maxListResults))
  const next = matching[page.length]
  const entries = page.map((entry) => entryXml(entry, include, extended)).join('')
  const body =
    `${xmlDeclaration}<EnumerationResults ServiceEndpoint="${escapeXml(`${call.ctx.endpoints.filesEndpoint}/${call.account.name}/`)}" ShareName="${escapeXml(share)}" DirectoryPath="${escapeXml(directory.path)}">` +
    `${optionalElement('Marker', markerParam)}${optionalElement('Prefix', prefix)}${optionalElement('MaxResults', maxResultsParam)}` +
    `${extended ? element('DirectoryId', directory.fileId) : ''}<Entries>${entries}</Entries>${element('NextMarker', next ? encodeMarker(next.name) : '')}</EnumerationResults>`
  return { status: 200, headers: { 'Content-Type': 'application/xml' }, body }
}

function entryXml(entry: FileEntry, include: Set<string>, extended: boolean): string {
  const tag = entry.kind === 'file' ? 'File' : 'Directory'
  const timestamps = include.has('timestamps')
    ? `${element('CreationTime', fileTime(entry.creationTime))}${element('LastAccessTime', fileTime(entry.lastModified))}${element('LastWriteTime', fileTime(entry.lastWriteTime))}${element('ChangeTime', fileTime(entry.changeTime))}${element('Last-Modified', httpDate(entry.lastModified))}`
    : ''
  const etag = include.has('etag') ? element('Etag', entry.etag) : ''
  const length = entry.kind === 'file' ? element('Content-Length', entry.size ?? 0) : ''
  const properties =
    length || timestamps || etag
      ? `<Properties>${length}${timestamps}${etag}</Properties>`
      : '<Properties />'
  return (
    `<${tag}>${element('Name', entry.name)}${extended || include.size > 0 ? element('FileId', entry.fileId) : ''}${properties}` +
    `${include.has('attributes') ? element('Attributes', entry.attributes) : ''}${include.has('permissionkey') ? element('PermissionKey', entry.permissionKey) : ''}</${tag}>`
  )
}

/** Markers look like the service's (an opaque, versioned token), and carry the next name. */
const encodeMarker = (name: string) => `2!${Buffer.from(name, 'utf8').toString('base64url')}`
function decodeMarker(marker: string): string | undefined {
  const match = /^2!([A-Za-z0-9_-]+)$/.exec(marker)
  return match ? Buffer.from(match[1]!, 'base64url').toString('utf8') : undefined
}
