import { AppError } from '../../../shared/errors'

/*
 * Paths inside a share as the browser names them: '' is the root, folders joined by '/'.
 * Azure Files refuses some characters in names; ".." and empty segments would be ours to
 * misread, so they are refused here before any request.
 */

const forbidden = /["\\:|<>*?]/
const hasControl = (name: string) => [...name].some((c) => c.charCodeAt(0) < 32)
// Half of a surrogate pair cannot be put in a URL (encodeURIComponent throws URIError).
const hasLoneSurrogate = (name: string) => /\p{Cs}/u.test(name)

export function validName(name: string): string {
  if (
    !name ||
    name.length > 255 ||
    forbidden.test(name) ||
    hasControl(name) ||
    hasLoneSurrogate(name) ||
    name === '.' ||
    name === '..' ||
    name.includes('/') ||
    /[ .]$/.test(name)
  )
    throw new AppError('Validation', `“${name}” cannot be a file or folder name in Azure Files.`)
  return name
}

/** A path of valid names joined by '/', '' for the root. */
export function validPath(path: string): string {
  if (path === '') return ''
  if (path.length > 2048) throw new AppError('Validation', 'The path is too long.')
  path.split('/').forEach(validName)
  return path
}

export const joinPath = (folder: string, name: string) =>
  folder === '' ? validName(name) : `${validPath(folder)}/${validName(name)}`

export function parentOf(path: string): string {
  const at = path.lastIndexOf('/')
  return at < 0 ? '' : path.slice(0, at)
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/**
 * The n-th "keep both" name, as Windows and browsers number copies: "notes (1).ipynb",
 * "notes (2).ipynb"; a name that already ends in " (k)" counts on from its own base.
 */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.')
  const hasExtension = dot > 0 && dot < name.length - 1
  const stem = hasExtension ? name.slice(0, dot) : name
  const extension = hasExtension ? name.slice(dot) : ''
  const base = /^(.*\S) \(\d+\)$/.exec(stem)?.[1] ?? stem
  return `${base} (${n})${extension}`
}
