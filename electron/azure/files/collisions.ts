import type { ShareClient, ShareFileClient } from '@azure/storage-file-share'
import { AppError } from '../../../shared/errors'
import type { ExistingEntry, OnExisting } from '../../../shared/api'
import { baseName, joinPath, numberedName, parentOf, validName, validPath } from './paths'
import { translate } from './share-browser'

/*
 * An upload never replaces anyone's work without asking. The bytes go to a hidden file next
 * to the target (".<name>.<id>.uploading"), so a failed or cancelled upload leaves the
 * existing file as it was; only when every byte is there is that file renamed onto the name,
 * and just before that the name is checked again:
 *
 * - nothing expected there ("ask") or "keep both": the rename does not replace, so Azure Files
 *   itself refuses (409) if a teammate's file appeared meanwhile: no window at all;
 * - "replace" the file the person saw: its ETag must still be the one they were shown. Azure
 *   Files has no If-Match on writes, so this is a read then a rename: a change in the few
 *   milliseconds between them is the only one not caught.
 *
 * Who changed a file: Azure Files records when (Last-Modified, x-ms-file-last-write-time) but
 * not who. Files this app writes carry x-ms-meta-changedby and x-ms-meta-lastwrite (the file's
 * last-write time when it was written); the name is shown only while the file's last-write
 * time is still that one, i.e. nobody has changed its content since, by any route.
 */

export type { ExistingEntry, OnExisting }

const stampBy = 'changedby'
const stampAt = 'lastwrite'

/** Nothing of this kind there (asking for a file where a folder is may also answer 409 ResourceTypeMismatch). */
const isMissing = (error: unknown) =>
  (error as { statusCode?: number }).statusCode === 404 ||
  ['ResourceNotFound', 'ParentNotFound', 'ResourceTypeMismatch'].includes(
    (error as { code?: string }).code ?? '',
  )

/** The metadata a file written by this app carries (names may hold any character). */
export function writerStamp(user: string, lastWrite: Date): Record<string, string> {
  return { [stampBy]: encodeURIComponent(user), [stampAt]: lastWrite.toISOString() }
}

/** Who wrote the file's current content, when this app wrote it and nobody changed it since. */
export function changedByOf(
  metadata: Record<string, string> | undefined,
  lastWrite: Date | undefined,
): string | undefined {
  const by = metadata?.[stampBy]
  const at = metadata?.[stampAt]
  if (!by || !at || !lastWrite || Date.parse(at) !== lastWrite.getTime()) return undefined
  try {
    return decodeURIComponent(by)
  } catch {
    return undefined
  }
}

/** What is at `path` now (a file or a folder), or undefined. */
export async function existingAt(
  share: ShareClient,
  path: string,
  /** The folder's names, when already listed. */
  taken?: Set<string>,
): Promise<ExistingEntry | undefined> {
  validPath(path)
  const name = baseName(path)
  // The folder is listed only when something is there (for the "keep both" name).
  const keepBoth = async () => freeName(taken ?? (await namesIn(share, parentOf(path))), name)
  try {
    const p = await share.rootDirectoryClient.getFileClient(path).getProperties()
    const lastWrite = p.fileLastWriteOn ?? p.lastModified
    const changedBy = changedByOf(p.metadata, lastWrite)
    return {
      name,
      path,
      kind: 'file',
      size: p.contentLength ?? 0,
      etag: p.etag ?? '',
      lastChanged: (lastWrite ?? new Date(0)).toISOString(),
      ...(changedBy ? { changedBy } : {}),
      keepBothName: await keepBoth(),
    }
  } catch (error) {
    if (!isMissing(error)) throw translate(error, path)
  }
  try {
    const p = await share.getDirectoryClient(path).getProperties()
    return {
      name,
      path,
      kind: 'folder',
      etag: p.etag ?? '',
      lastChanged: (p.fileLastWriteOn ?? p.lastModified ?? new Date(0)).toISOString(),
      keepBothName: await keepBoth(),
    }
  } catch (error) {
    if (isMissing(error)) return undefined
    throw translate(error, path)
  }
}

/** Of `names` in `folder`, those already taken, with who/when and the "keep both" name. */
export async function existingIn(
  share: ShareClient,
  folder: string,
  names: string[],
): Promise<ExistingEntry[]> {
  const taken = await namesIn(share, folder)
  const found: ExistingEntry[] = []
  for (const name of new Set(names.map(validName))) {
    if (!taken.has(name.toLowerCase())) continue
    const entry = await existingAt(share, joinPath(folder, name), taken)
    if (entry) found.push(entry)
  }
  return found
}

/** Names in a folder, lower-cased (Azure Files compares names without case). */
async function namesIn(share: ShareClient, folder: string): Promise<Set<string>> {
  const dir = folder === '' ? share.rootDirectoryClient : share.getDirectoryClient(folder)
  const names = new Set<string>()
  try {
    for await (const page of dir.listFilesAndDirectories().byPage({ maxPageSize: 5000 }))
      for (const item of [...page.segment.directoryItems, ...page.segment.fileItems])
        names.add(item.name.toLowerCase())
  } catch (error) {
    throw translate(error, folder)
  }
  return names
}

/** "name (1).ext", "name (2).ext"…: the first not in `taken` (lower-cased names). */
function freeName(taken: Set<string>, name: string): string {
  for (let n = 1; ; n++) {
    const candidate = numberedName(name, n)
    if (!taken.has(candidate.toLowerCase())) return candidate
  }
}

/** A hidden file an upload writes to (uploadingPath), not something to show or ask about. */
export const isUploadingName = (name: string) => /^\..+\.[0-9a-f]{8}\.uploading$/.test(name)

/** Where an upload's bytes go until they are all there: hidden, next to the target. */
export function uploadingPath(path: string, transferId: string): string {
  const name = `.${baseName(path).slice(0, 200)}.${transferId.slice(0, 8)}.uploading`
  return joinPath(parentOf(path), name)
}

/** The Conflict an upload answers with; `details.existing` is what the renderer asks about. */
export function conflictError(existing: ExistingEntry, changed: boolean): AppError {
  const where = parentOf(existing.path) || 'the share’s top folder'
  const message =
    existing.kind === 'folder'
      ? `A folder named “${existing.name}” is already in ${where}.`
      : changed
        ? `“${existing.name}” changed on the share since you chose to replace it.`
        : `“${existing.name}” is already in ${where}.`
  return new AppError('Conflict', message, { existing, changed })
}

/** Before any byte moves: is the name as the person expects it? Throws the Conflict if not. */
export async function checkBeforeUpload(
  share: ShareClient,
  path: string,
  onExisting: OnExisting,
): Promise<void> {
  if (onExisting === 'keepBoth') return
  const existing = await existingAt(share, path)
  if (!existing) return
  if (onExisting === 'ask' || existing.kind === 'folder') throw conflictError(existing, false)
  if (existing.etag !== onExisting.replace) throw conflictError(existing, true)
}

export type CommitResult = { path: string } | { conflict: ExistingEntry; changed: boolean }

/**
 * Puts the finished upload at its name: checks the name again now, then renames the hidden
 * file onto it with the writer's stamp. A conflict leaves the hidden file for the next choice.
 */
export async function commitUpload(
  share: ShareClient,
  uploaded: ShareFileClient,
  path: string,
  onExisting: OnExisting,
  user: string,
): Promise<CommitResult> {
  const folder = parentOf(path)
  let target = path
  let replace = false
  if (onExisting === 'keepBoth') {
    const existing = await existingAt(share, path)
    if (existing) target = joinPath(folder, existing.keepBothName)
  } else {
    const existing = await existingAt(share, path)
    if (existing) {
      if (onExisting === 'ask' || existing.kind === 'folder')
        return { conflict: existing, changed: false }
      if (existing.etag !== onExisting.replace) return { conflict: existing, changed: true }
      replace = true
    }
  }
  try {
    const { fileLastWriteOn, lastModified } = await uploaded.getProperties()
    const written = fileLastWriteOn ?? lastModified ?? new Date(0)
    const { fileRenameResponse } = await uploaded.rename(target, {
      replaceIfExists: replace,
      metadata: writerStamp(user, written),
    })
    // Should a rename ever move the last-write time, the stamp follows the rename's own
    // answer (a later write by anyone still makes it stale, as it should). The SDK's types
    // say fileLastWriteTime; at run time the header arrives as fileLastWriteOn.
    const after =
      (fileRenameResponse as { fileLastWriteOn?: Date }).fileLastWriteOn ??
      fileRenameResponse.fileLastWriteTime
    if (after && after.getTime() !== written.getTime())
      // (Not rename's own client: on path-style endpoints its URL loses the account.)
      await share.rootDirectoryClient.getFileClient(target).setMetadata(writerStamp(user, after))
    return { path: target }
  } catch (error) {
    if ((error as { code?: string }).code !== 'ResourceAlreadyExists') throw translate(error, path)
    // Someone took the name between the check and the rename: ask (or number) again.
    if (onExisting === 'keepBoth') return commitUpload(share, uploaded, path, onExisting, user)
    const existing = await existingAt(share, target)
    if (!existing) throw translate(error, target)
    return { conflict: existing, changed: onExisting !== 'ask' }
  }
}
