import type { SandboxContext } from '../../core/context'
import type { SandboxReply, SandboxRequest } from '../../core/http'
import type { ArmResource } from '../../core/resources'
import { findShare } from '../../arm/storage/shares'
import type { Caller } from '../authenticate'
import type { ContentStore } from '../content-store'
import { invalidHeader, shareNotFound } from '../errors'
import type { FileEntry, FileNamespace, SmbProperties } from '../namespace'

/** One authenticated Files request, resolved to its account and path. */
export interface FilesCall {
  ctx: SandboxContext
  req: SandboxRequest
  account: ArmResource
  /** Path after the account: share name, then directories and file. */
  parts: string[]
  /** The x-ms-version the client asked for, echoed in every answer. */
  version: string
  caller: Caller
  namespace: FileNamespace
  content: ContentStore
}

export type FilesOperation = (call: FilesCall) => SandboxReply | Promise<SandboxReply>

export function requireShare(call: FilesCall): ArmResource {
  const share = findShare(call.ctx, call.account, call.parts[0]!)
  if (!share) throw shareNotFound()
  return share
}

/** Path inside the share. */
export const pathInShare = (call: FilesCall) => call.parts.slice(1)

/** 2017-05-10T17:52:33.9551861Z: the service's seven-digit timestamps. */
export const fileTime = (ms: number) => new Date(ms).toISOString().replace('Z', '0000Z')
export const httpDate = (ms: number) => new Date(ms).toUTCString()

export function metadataFromHeaders(call: FilesCall): Record<string, string> | undefined {
  const entries = Object.entries(call.req.headers).filter(([name]) => name.startsWith('x-ms-meta-'))
  if (entries.length === 0) return undefined
  return Object.fromEntries(
    entries.map(([name, value]) => [name.slice('x-ms-meta-'.length), String(value)]),
  )
}

export const metadataHeaders = (metadata: Record<string, string>) =>
  Object.fromEntries(Object.entries(metadata).map(([name, value]) => [`x-ms-meta-${name}`, value]))

function parseSmbTime(call: FilesCall, name: string): number | undefined {
  const value = call.req.header(name)
  if (value === undefined || value.toLowerCase() === 'preserve') return undefined
  if (value.toLowerCase() === 'now') return call.ctx.clock.now()
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw invalidHeader(name, value)
  return ms
}

export function smbPropertiesFromHeaders(call: FilesCall): SmbProperties {
  const attributes = call.req.header('x-ms-file-attributes')
  const creationTime = parseSmbTime(call, 'x-ms-file-creation-time')
  const lastWriteTime = parseSmbTime(call, 'x-ms-file-last-write-time')
  const changeTime = parseSmbTime(call, 'x-ms-file-change-time')
  return {
    ...(attributes !== undefined && attributes.toLowerCase() !== 'preserve' ? { attributes } : {}),
    ...(creationTime !== undefined ? { creationTime } : {}),
    ...(lastWriteTime !== undefined ? { lastWriteTime } : {}),
    ...(changeTime !== undefined ? { changeTime } : {}),
  }
}

/** Headers every file and directory answer carries. */
export function entryHeaders(entry: FileEntry): Record<string, string> {
  return {
    ETag: entry.etag,
    'Last-Modified': httpDate(entry.lastModified),
    'x-ms-file-attributes': entry.attributes,
    'x-ms-file-creation-time': fileTime(entry.creationTime),
    'x-ms-file-last-write-time': fileTime(entry.lastWriteTime),
    'x-ms-file-change-time': fileTime(entry.changeTime),
    'x-ms-file-permission-key': entry.permissionKey,
    'x-ms-file-id': entry.fileId,
    'x-ms-file-parent-id': entry.parentId,
  }
}

export function parseNonNegativeInteger(call: FilesCall, name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw invalidHeader(name, value)
  return Number(value)
}
