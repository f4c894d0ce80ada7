import { createHash, randomUUID } from 'node:crypto'
import type { SandboxReply } from '../../core/http'
import { addShareUsage } from '../../arm/storage/shares'
import {
  FilesError,
  invalidHeader,
  invalidRange,
  missingHeader,
  resourceAlreadyExists,
  resourceNotFound,
  resourceTypeMismatch,
} from '../errors'
import { splitPath, type FileEntry, type FileHttpHeaders } from '../namespace'
import { parseRange } from '../ranges'
import { applySmbProperties } from './directories'
import {
  entryHeaders,
  metadataFromHeaders,
  metadataHeaders,
  parseNonNegativeInteger,
  pathInShare,
  requireShare,
  smbPropertiesFromHeaders,
  type FilesCall,
} from './call'

/** Largest range one Put Range may write, and one ranged Get may hash. */
export const maxRangeBytes = 4 * 1024 * 1024
const maxFileBytes = 4 * 1024 ** 4

function requireFile(call: FilesCall): FileEntry {
  const share = requireShare(call)
  const entry = call.namespace.get(call.account.name, share.name, pathInShare(call))
  if (!entry || entry.kind !== 'file') throw resourceNotFound()
  return entry
}

function httpHeadersFromRequest(call: FilesCall): FileHttpHeaders {
  const pick = (name: string) => call.req.header(name)
  const headers: FileHttpHeaders = {}
  const contentType = pick('x-ms-content-type')
  const contentEncoding = pick('x-ms-content-encoding')
  const contentLanguage = pick('x-ms-content-language')
  const cacheControl = pick('x-ms-cache-control')
  const contentDisposition = pick('x-ms-content-disposition')
  const contentMD5 = pick('x-ms-content-md5')
  if (contentType) headers.contentType = contentType
  if (contentEncoding) headers.contentEncoding = contentEncoding
  if (contentLanguage) headers.contentLanguage = contentLanguage
  if (cacheControl) headers.cacheControl = cacheControl
  if (contentDisposition) headers.contentDisposition = contentDisposition
  if (contentMD5) headers.contentMD5 = contentMD5
  return headers
}

function fileLength(call: FilesCall): number {
  const value = call.req.header('x-ms-content-length')
  if (value === undefined) throw missingHeader('x-ms-content-length')
  const size = parseNonNegativeInteger(call, 'x-ms-content-length', value)
  if (size > maxFileBytes) throw invalidHeader('x-ms-content-length', value)
  return size
}

export async function createFile(call: FilesCall): Promise<SandboxReply> {
  const type = call.req.header('x-ms-type')
  if (type === undefined) throw missingHeader('x-ms-type')
  if (type.toLowerCase() !== 'file') throw invalidHeader('x-ms-type', type)
  const size = fileLength(call)
  const share = requireShare(call)
  const contentId = randomUUID()
  const metadata = metadataFromHeaders(call)
  const { entry, replaced } = call.namespace.create(
    call.account.name,
    share.name,
    pathInShare(call),
    'file',
    {
      ...smbPropertiesFromHeaders(call),
      size,
      contentId,
      httpHeaders: httpHeadersFromRequest(call),
      ...(metadata ? { metadata } : {}),
    },
  )
  await call.content.create(contentId, size)
  if (replaced?.contentId) await call.content.remove(replaced.contentId)
  addShareUsage(call.ctx, call.account, share, size - (replaced?.size ?? 0))
  return {
    status: 201,
    headers: { ...entryHeaders(entry), 'x-ms-request-server-encrypted': 'true' },
  }
}

/** Put Range: `x-ms-write: update` writes the body, `clear` zeros the range. */
export async function putRange(call: FilesCall): Promise<SandboxReply> {
  const entry = requireFile(call)
  const rangeHeader = call.req.header('x-ms-range') ?? call.req.header('range')
  if (rangeHeader === undefined) throw missingHeader('Range')
  const range = parseRange(rangeHeader)
  if (!range || range.end === undefined) throw invalidHeader('Range', rangeHeader)
  const write = call.req.header('x-ms-write')
  if (write === undefined) throw missingHeader('x-ms-write')
  const length = range.end - range.start + 1
  const size = entry.size ?? 0
  if (range.end >= size) throw invalidRange(size)
  const body = call.req.body
  if (call.req.header('x-ms-structured-body'))
    throw invalidHeader('x-ms-structured-body', call.req.header('x-ms-structured-body')!)

  let md5: string | undefined
  if (write.toLowerCase() === 'update') {
    if (length > maxRangeBytes || body.length > maxRangeBytes) {
      throw new FilesError(
        413,
        'RequestBodyTooLarge',
        'The request body is too large and exceeds the maximum permissible limit.',
        `<MaxLimit>${maxRangeBytes}</MaxLimit>`,
      )
    }
    if (body.length !== length) throw invalidHeader('Content-Length', String(body.length))
    md5 = createHash('md5').update(body).digest('base64')
    const given = call.req.header('content-md5')
    if (given && given !== md5) {
      throw new FilesError(
        400,
        'Md5Mismatch',
        'The MD5 value specified in the request did not match with the MD5 value calculated by the server.',
        `<UserSpecifiedMd5>${given}</UserSpecifiedMd5><ServerCalculatedMd5>${md5}</ServerCalculatedMd5>`,
      )
    }
    await call.content.write(entry.contentId!, range.start, body)
  } else if (write.toLowerCase() === 'clear') {
    if (body.length !== 0) throw invalidHeader('Content-Length', String(body.length))
    await call.content.clear(entry.contentId!, range.start, length)
  } else {
    throw invalidHeader('x-ms-write', write)
  }
  call.namespace.touch(entry, { write: true })
  return {
    status: 201,
    headers: {
      ETag: entry.etag,
      'Last-Modified': entryHeaders(entry)['Last-Modified']!,
      'x-ms-file-last-write-time': entryHeaders(entry)['x-ms-file-last-write-time']!,
      'x-ms-request-server-encrypted': 'true',
      ...(md5 ? { 'Content-MD5': md5 } : {}),
    },
  }
}

function fileHeaders(entry: FileEntry): Record<string, string> {
  const http = entry.httpHeaders ?? {}
  return {
    ...entryHeaders(entry),
    ...metadataHeaders(entry.metadata),
    'Content-Type': http.contentType ?? 'application/octet-stream',
    ...(http.contentEncoding ? { 'Content-Encoding': http.contentEncoding } : {}),
    ...(http.contentLanguage ? { 'Content-Language': http.contentLanguage } : {}),
    ...(http.cacheControl ? { 'Cache-Control': http.cacheControl } : {}),
    ...(http.contentDisposition ? { 'Content-Disposition': http.contentDisposition } : {}),
    'Accept-Ranges': 'bytes',
    'x-ms-type': 'File',
    'x-ms-server-encrypted': 'true',
    'x-ms-lease-state': 'available',
    'x-ms-lease-status': 'unlocked',
  }
}

export function getFileProperties(call: FilesCall): SandboxReply {
  const entry = requireFile(call)
  const md5 = entry.httpHeaders?.contentMD5
  return {
    status: 200,
    headers: {
      ...fileHeaders(entry),
      'Content-Length': String(entry.size ?? 0),
      ...(md5 ? { 'Content-MD5': md5 } : {}),
    },
  }
}

/** Get File: the whole file (200) or a Range / x-ms-range (206 with Content-Range). */
export async function getFile(call: FilesCall): Promise<SandboxReply> {
  const entry = requireFile(call)
  const size = entry.size ?? 0
  const rangeHeader = call.req.header('x-ms-range') ?? call.req.header('range')
  if (rangeHeader === undefined) {
    const body = await call.content.read(entry.contentId!, 0, size)
    const md5 = entry.httpHeaders?.contentMD5
    return {
      status: 200,
      headers: {
        ...fileHeaders(entry),
        'Content-Length': String(size),
        ...(md5 ? { 'Content-MD5': md5 } : {}),
      },
      body,
    }
  }
  const range = parseRange(rangeHeader)
  if (!range) throw invalidHeader('Range', rangeHeader)
  if (range.start >= size) throw invalidRange(size)
  const end = Math.min(range.end ?? size - 1, size - 1)
  const length = end - range.start + 1
  const wantMd5 = call.req.header('x-ms-range-get-content-md5')?.toLowerCase() === 'true'
  if (wantMd5 && length > maxRangeBytes) {
    throw new FilesError(400, 'OutOfRangeInput', 'One of the request inputs is out of range.')
  }
  const body = await call.content.read(entry.contentId!, range.start, length)
  return {
    status: 206,
    headers: {
      ...fileHeaders(entry),
      'Content-Length': String(length),
      'Content-Range': `bytes ${range.start}-${end}/${size}`,
      ...(wantMd5 ? { 'Content-MD5': createHash('md5').update(body).digest('base64') } : {}),
    },
    body,
  }
}

/** Set File Properties: HTTP headers (all replaced), SMB properties, and x-ms-content-length to resize. */
export async function setFileProperties(call: FilesCall): Promise<SandboxReply> {
  const entry = requireFile(call)
  const share = requireShare(call)
  const newSize = call.req.header('x-ms-content-length')
  if (newSize !== undefined) {
    const size = fileLength(call)
    const delta = size - (entry.size ?? 0)
    await call.content.resize(entry.contentId!, size)
    entry.size = size
    addShareUsage(call.ctx, call.account, share, delta)
  }
  entry.httpHeaders = httpHeadersFromRequest(call)
  applySmbProperties(call, entry)
  call.namespace.touch(entry)
  return {
    status: 200,
    headers: { ...entryHeaders(entry), 'x-ms-request-server-encrypted': 'true' },
  }
}

export function setFileMetadata(call: FilesCall): SandboxReply {
  const entry = requireFile(call)
  entry.metadata = metadataFromHeaders(call) ?? {}
  call.namespace.touch(entry)
  return { status: 200, headers: { ETag: entry.etag, 'x-ms-request-server-encrypted': 'true' } }
}

export async function deleteFile(call: FilesCall): Promise<SandboxReply> {
  const entry = requireFile(call)
  const share = requireShare(call)
  call.namespace.delete(call.account.name, share.name, pathInShare(call))
  await call.content.remove(entry.contentId!)
  addShareUsage(call.ctx, call.account, share, -(entry.size ?? 0))
  return { status: 202 }
}

/**
 * Rename File / Rename Directory: the request's path is the destination,
 * x-ms-file-rename-source the source URL (same share).
 */
export async function rename(call: FilesCall, kind: FileEntry['kind']): Promise<SandboxReply> {
  const share = requireShare(call)
  const sourceHeader = call.req.header('x-ms-file-rename-source')
  if (sourceHeader === undefined) throw missingHeader('x-ms-file-rename-source')
  let sourceParts: string[]
  try {
    sourceParts = splitPath(new URL(sourceHeader, call.req.url).pathname).map(decodeURIComponent)
  } catch {
    throw invalidHeader('x-ms-file-rename-source', sourceHeader)
  }
  const [sourceAccount, sourceShare, ...sourcePath] = sourceParts
  if (
    sourceAccount !== call.account.name ||
    sourceShare?.toLowerCase() !== share.name.toLowerCase() ||
    sourcePath.length === 0
  ) {
    throw invalidHeader('x-ms-file-rename-source', sourceHeader)
  }
  const source = call.namespace.get(call.account.name, share.name, sourcePath)
  if (!source) throw resourceNotFound()
  if (source.kind !== kind) throw resourceTypeMismatch()
  const destination = pathInShare(call)
  const below = destination
    .join('/')
    .toLowerCase()
    .startsWith(`${sourcePath.join('/').toLowerCase()}/`)
  if (kind === 'directory' && below) throw invalidHeader('x-ms-file-rename-source', sourceHeader)
  const existing = call.namespace.get(call.account.name, share.name, destination)
  if (existing && existing !== source) {
    const replace = call.req.header('x-ms-file-rename-replace-if-exists')?.toLowerCase() === 'true'
    if (!replace) throw resourceAlreadyExists()
    if (existing.kind !== 'file' || kind !== 'file') throw resourceTypeMismatch()
    call.namespace.delete(call.account.name, share.name, destination)
    await call.content.remove(existing.contentId!)
    addShareUsage(call.ctx, call.account, share, -(existing.size ?? 0))
  }
  const moved = call.namespace.move(source, destination)
  const metadata = metadataFromHeaders(call)
  if (metadata) moved.metadata = metadata
  return {
    status: 200,
    headers: { ...entryHeaders(moved), 'x-ms-request-server-encrypted': 'true' },
  }
}
