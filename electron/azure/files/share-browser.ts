import type { ShareClient, ShareDirectoryClient } from '@azure/storage-file-share'
import { AppError } from '../../../shared/errors'
import { baseName, joinPath, parentOf, validName, validPath } from './paths'

/*
 * The share as a file browser sees it: list a folder (every page), new folder, rename,
 * delete (a folder with what is in it), and the user's own folder created on first use.
 */

export interface ShareEntry {
  name: string
  path: string
  kind: 'file' | 'folder'
  /** Bytes, for files. */
  size?: number
}

const dir = (share: ShareClient, path: string): ShareDirectoryClient =>
  path === '' ? share.rootDirectoryClient : share.getDirectoryClient(validPath(path))

/** Folders first, then files, each by name as a person reads it. */
export async function listFolder(share: ShareClient, path: string): Promise<ShareEntry[]> {
  const entries: ShareEntry[] = []
  try {
    for await (const page of dir(share, path)
      .listFilesAndDirectories()
      .byPage({ maxPageSize: 5000 })) {
      for (const d of page.segment.directoryItems)
        entries.push({ name: d.name, path: path ? `${path}/${d.name}` : d.name, kind: 'folder' })
      for (const f of page.segment.fileItems)
        entries.push({
          name: f.name,
          path: path ? `${path}/${f.name}` : f.name,
          kind: 'file',
          size: f.properties.contentLength,
        })
    }
  } catch (error) {
    throw translate(error, path)
  }
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
  return entries.sort((a, b) =>
    a.kind !== b.kind ? (a.kind === 'folder' ? -1 : 1) : collator.compare(a.name, b.name),
  )
}

export async function createFolder(
  share: ShareClient,
  parent: string,
  name: string,
): Promise<string> {
  const path = joinPath(parent, name)
  try {
    await share.getDirectoryClient(path).create()
  } catch (error) {
    // The name is taken (409 ResourceAlreadyExists, or ResourceTypeMismatch where a file has
    // it): say what is there, in which folder, and what to do.
    const code = (error as { code?: string }).code
    if (code === 'ResourceAlreadyExists' || code === 'ResourceTypeMismatch')
      throw takenError((await kindAt(share, path).catch(() => undefined)) ?? 'something', path)
    throw translate(error, path)
  }
  return path
}

function takenError(kind: ShareEntry['kind'] | 'something', path: string): AppError {
  const where = parentOf(path) || 'the share’s top folder'
  const what = kind === 'something' ? 'Something' : kind === 'file' ? 'A file' : 'A folder'
  return new AppError(
    'Conflict',
    `${what} named “${baseName(path)}” is already in ${where}. Choose another name.`,
    { path },
  )
}

/** The kind of entry at `path`, if any. */
async function kindAt(share: ShareClient, path: string): Promise<ShareEntry['kind'] | undefined> {
  const missing = (error: unknown) =>
    (error as { statusCode?: number }).statusCode === 404 ||
    (error as { code?: string }).code === 'ResourceTypeMismatch'
  try {
    await share.rootDirectoryClient.getFileClient(path).getProperties()
    return 'file'
  } catch (error) {
    if (!missing(error)) throw error
  }
  try {
    await share.getDirectoryClient(path).getProperties()
    return 'folder'
  } catch (error) {
    if (!missing(error)) throw error
  }
  return undefined
}

/** Creates every missing folder of `path` (e.g. notebooks/ada); returns the path. */
export async function ensureFolder(share: ShareClient, path: string): Promise<string> {
  let at = ''
  for (const part of validPath(path).split('/')) {
    at = at ? `${at}/${part}` : part
    await share.getDirectoryClient(at).createIfNotExists()
  }
  return path
}

export async function rename(
  share: ShareClient,
  path: string,
  kind: ShareEntry['kind'],
  newName: string,
): Promise<string> {
  validPath(path)
  const target = joinPath(parentOf(path), validName(newName))
  if (baseName(path) === newName) return path
  // Only a change of case keeps the same entry (names are compared without case).
  const sameEntry = target.toLowerCase() === path.toLowerCase()
  try {
    if (!sameEntry) {
      const there = await kindAt(share, target)
      if (there) throw takenError(there, target)
    }
    // Never replace: a name taken meanwhile is refused by Azure Files itself (409).
    if (kind === 'folder') await share.getDirectoryClient(path).rename(target)
    else
      await share.rootDirectoryClient.getFileClient(path).rename(target, { replaceIfExists: false })
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ResourceAlreadyExists') throw takenError('something', target)
    throw translate(error, path)
  }
  return target
}

/** Deletes a file, or a folder with everything in it. */
export async function remove(
  share: ShareClient,
  path: string,
  kind: ShareEntry['kind'],
): Promise<void> {
  if (validPath(path) === '')
    throw new AppError('Validation', 'The share itself cannot be deleted here.')
  try {
    if (kind === 'file') {
      await share.rootDirectoryClient.getFileClient(path).delete()
      return
    }
    for (const entry of await listFolder(share, path)) await remove(share, entry.path, entry.kind)
    await share.getDirectoryClient(path).delete()
  } catch (error) {
    throw translate(error, path)
  }
}

/** Azure Files' error codes in words a person can act on. */
export function translate(error: unknown, path: string): Error {
  if (error instanceof AppError) return error
  const code = (error as { code?: string }).code
  const status = (error as { statusCode?: number }).statusCode
  const where = path || 'the share'
  if (code === 'ResourceNotFound' || code === 'ParentNotFound' || status === 404)
    return new AppError(
      'NotFound',
      `${where} is not there any more; someone may have moved or deleted it.`,
    )
  if (code === 'ResourceAlreadyExists' || code === 'ShareAlreadyExists')
    return takenError('something', where)
  if (code === 'SharingViolation')
    return new AppError(
      'Conflict',
      `${baseName(where)} is open elsewhere (on an instance or a mounted share). Close it there and try again.`,
    )
  if (status === 403)
    return new AppError('Forbidden', 'The storage account refused the request.', {
      ...(code ? { azureCode: code } : {}),
    })
  return error instanceof Error ? error : new Error(String(error))
}

export interface FolderSummary {
  files: number
  folders: number
  bytes: number
  /** False when counting stopped at `limit` entries. */
  complete: boolean
}

/** Files, folders and bytes below a folder (any depth), said before it is deleted. */
export async function summarizeFolder(
  share: ShareClient,
  path: string,
  limit = 10_000,
): Promise<FolderSummary> {
  const summary: FolderSummary = { files: 0, folders: 0, bytes: 0, complete: true }
  const pending = [validPath(path)]
  while (pending.length > 0) {
    for (const entry of await listFolder(share, pending.pop()!)) {
      if (summary.files + summary.folders >= limit) return { ...summary, complete: false }
      if (entry.kind === 'folder') {
        summary.folders++
        pending.push(entry.path)
      } else {
        summary.files++
        summary.bytes += entry.size ?? 0
      }
    }
  }
  return summary
}
