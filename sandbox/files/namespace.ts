import { randomBytes } from 'node:crypto'
import type { SandboxContext } from '../core/context'
import type { Table } from '../core/state'
import { newEtag } from '../arm/storage/shares'
import {
  invalidResourceName,
  parentNotFound,
  resourceAlreadyExists,
  resourceNotFound,
  resourceTypeMismatch,
} from './errors'

export interface FileHttpHeaders {
  contentType?: string
  contentEncoding?: string
  contentLanguage?: string
  cacheControl?: string
  contentDisposition?: string
  /** Base64 MD5 the client stored with the file. */
  contentMD5?: string
}

/** A file or directory of a share, as the service describes it. Bytes live in the ContentStore. */
export interface FileEntry {
  kind: 'file' | 'directory'
  account: string
  share: string
  /** Path inside the share as created ('/'-separated, no leading slash). */
  path: string
  name: string
  fileId: string
  parentId: string
  creationTime: number
  lastWriteTime: number
  changeTime: number
  lastModified: number
  etag: string
  attributes: string
  permissionKey: string
  metadata: Record<string, string>
  size?: number
  contentId?: string
  httpHeaders?: FileHttpHeaders
}

/** Properties a create or set-properties request may give. */
export interface SmbProperties {
  attributes?: string
  creationTime?: number
  lastWriteTime?: number
  changeTime?: number
}

const invalidNameCharacters = /["\\:|<>*?]/
const hasControlCharacter = (name: string) => [...name].some((c) => c.charCodeAt(0) < 0x20)
export const rootFileId = '13835128424026341376'
const defaultPermissionKey = '4066528134148476695*1'

export const splitPath = (path: string) => path.split('/').filter((s) => s.length > 0)

/** Checks every component of a path the way the service does. */
export function validatePath(parts: string[]): void {
  for (const part of parts) {
    if (
      part.length > 255 ||
      invalidNameCharacters.test(part) ||
      hasControlCharacter(part) ||
      part === '.' ||
      part === '..'
    )
      throw invalidResourceName()
  }
}

const newFileId = () => BigInt.asUintN(63, randomBytes(8).readBigUInt64BE()).toString()

/**
 * Directories and files of every share, in one JSON table keyed by account/share/path
 * (case-insensitively, as SMB names are compared), with case-preserving names.
 */
export class FileNamespace {
  private readonly table: Table<FileEntry>

  constructor(private readonly ctx: SandboxContext) {
    this.table = ctx.state.table<FileEntry>('fileEntries')
  }

  static key(account: string, share: string, parts: string[]): string {
    return [account, share, ...parts].join('/')
  }

  get(account: string, share: string, parts: string[]): FileEntry | undefined {
    return this.table.get(FileNamespace.key(account, share, parts))
  }

  /** The directory at `parts` (the share root when empty) or ParentNotFound/ResourceNotFound. */
  directoryId(
    account: string,
    share: string,
    parts: string[],
    missing: () => Error = parentNotFound,
  ): string {
    if (parts.length === 0) return rootFileId
    const entry = this.get(account, share, parts)
    if (!entry) throw missing()
    if (entry.kind !== 'directory') throw resourceTypeMismatch()
    return entry.fileId
  }

  create(
    account: string,
    share: string,
    parts: string[],
    kind: FileEntry['kind'],
    init: SmbProperties & {
      metadata?: Record<string, string>
      size?: number
      contentId?: string
      httpHeaders?: FileHttpHeaders
      permissionKey?: string
    },
  ): { entry: FileEntry; replaced?: FileEntry } {
    validatePath(parts)
    const parentId = this.directoryId(account, share, parts.slice(0, -1))
    const existing = this.get(account, share, parts)
    if (existing && (kind === 'directory' || existing.kind === 'directory')) {
      throw existing.kind === kind ? resourceAlreadyExists() : resourceTypeMismatch()
    }
    const now = this.ctx.clock.now()
    const entry: FileEntry = {
      kind,
      account,
      share,
      path: parts.join('/'),
      name: parts[parts.length - 1]!,
      fileId: existing?.fileId ?? newFileId(),
      parentId,
      creationTime: init.creationTime ?? now,
      lastWriteTime: init.lastWriteTime ?? now,
      changeTime: init.changeTime ?? now,
      lastModified: now,
      etag: newEtag(this.ctx),
      attributes: normalizeAttributes(init.attributes, kind),
      permissionKey: init.permissionKey ?? defaultPermissionKey,
      metadata: init.metadata ?? {},
      ...(kind === 'file'
        ? { size: init.size ?? 0, contentId: init.contentId!, httpHeaders: init.httpHeaders ?? {} }
        : {}),
    }
    this.table.set(FileNamespace.key(account, share, parts), entry)
    return { entry, ...(existing ? { replaced: existing } : {}) }
  }

  /** Call after changing an entry: new ETag and Last-Modified. */
  touch(entry: FileEntry, changed: { write?: boolean } = {}): void {
    const now = this.ctx.clock.now()
    entry.lastModified = now
    entry.changeTime = now
    if (changed.write) entry.lastWriteTime = now
    entry.etag = newEtag(this.ctx)
    this.table.touch()
  }

  /** Entries directly inside a directory, sorted by name as the service lists them. */
  children(account: string, share: string, parts: string[]): FileEntry[] {
    const prefix = `${FileNamespace.key(account, share, parts)}/`.toLowerCase()
    const depth = parts.length + 1
    return this.table
      .entries()
      .filter(([key, entry]) => key.startsWith(prefix) && splitPath(entry.path).length === depth)
      .map(([, entry]) => entry)
      .sort((a, b) => compareNames(a.name, b.name))
  }

  /** Every entry below a directory (any depth). */
  descendants(account: string, share: string, parts: string[]): FileEntry[] {
    const prefix = `${FileNamespace.key(account, share, parts)}/`.toLowerCase()
    return this.table
      .entries()
      .filter(([key]) => key.startsWith(prefix))
      .map(([, entry]) => entry)
  }

  delete(account: string, share: string, parts: string[]): void {
    if (!this.table.delete(FileNamespace.key(account, share, parts))) throw resourceNotFound()
  }

  /** Moves an entry (and, for a directory, everything below it) to a new path. */
  move(entry: FileEntry, to: string[]): FileEntry {
    const from = splitPath(entry.path)
    const moved = [
      entry,
      ...(entry.kind === 'directory' ? this.descendants(entry.account, entry.share, from) : []),
    ]
    const newParentId = this.directoryId(entry.account, entry.share, to.slice(0, -1))
    for (const item of moved) {
      this.table.delete(FileNamespace.key(item.account, item.share, splitPath(item.path)))
    }
    for (const item of moved) {
      const rest = splitPath(item.path).slice(from.length)
      const parts = [...to, ...rest]
      item.path = parts.join('/')
      item.name = parts[parts.length - 1]!
      if (item === entry) item.parentId = newParentId
      this.table.set(FileNamespace.key(item.account, item.share, parts), item)
    }
    this.touch(entry)
    return entry
  }

  /** Removes every entry of a share; returns the content ids to free. */
  dropShare(account: string, share: string): string[] {
    const prefix = `${account}/${share}/`.toLowerCase()
    const contentIds: string[] = []
    for (const [key, entry] of this.table.entries()) {
      if (!key.startsWith(prefix)) continue
      if (entry.contentId) contentIds.push(entry.contentId)
      this.table.delete(key)
    }
    return contentIds
  }
}

/** Names sort case-insensitively, then by code unit, like the service's listings. */
export function compareNames(a: string, b: string): number {
  const [x, y] = [a.toUpperCase(), b.toUpperCase()]
  if (x !== y) return x < y ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

const knownAttributes = [
  'ReadOnly',
  'Hidden',
  'System',
  'None',
  'Directory',
  'Archive',
  'Temporary',
  'Offline',
  'NotContentIndexed',
  'NoScrubData',
]

/** 'Archive | ReadOnly' → 'ReadOnly | Archive' in the service's order; defaults per kind. */
export function normalizeAttributes(value: string | undefined, kind: FileEntry['kind']): string {
  const given = (value ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter(
      (s) =>
        s &&
        s.toLowerCase() !== 'none' &&
        s.toLowerCase() !== 'preserve' &&
        s.toLowerCase() !== 'source',
    )
  const names = knownAttributes.filter((a) =>
    given.some((g) => g.toLowerCase() === a.toLowerCase()),
  )
  if (kind === 'directory' && !names.includes('Directory')) names.push('Directory')
  if (names.length === 0) return kind === 'file' ? 'Archive' : 'Directory'
  return names.join(' | ')
}
