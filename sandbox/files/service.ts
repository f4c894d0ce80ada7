import type { SandboxContext } from '../core/context'
import type { SandboxReply, SandboxRequest } from '../core/http'
import type { ArmResource } from '../core/resources'
import { findAccountByName } from '../arm/storage/accounts'
import { authenticate, requireIntentForToken } from './authenticate'
import type { SasRequirement } from './sas'
import type { ContentStore } from './content-store'
import { FilesError, filesErrorReply, invalidQuery, unsupportedVerb } from './errors'
import { FileNamespace, splitPath } from './namespace'
import type { FilesCall, FilesOperation } from './operations/call'
import {
  createDirectory,
  deleteDirectory,
  getDirectoryProperties,
  listDirectory,
  setDirectoryMetadata,
  setDirectoryProperties,
} from './operations/directories'
import {
  createFile,
  deleteFile,
  getFile,
  getFileProperties,
  putRange,
  rename,
  setFileMetadata,
  setFileProperties,
} from './operations/files'
import {
  createShareOperation,
  deleteShareOperation,
  getShareProperties,
  getShareStats,
  listSharesOperation,
  setShareMetadata,
  setShareProperties,
} from './operations/shares'

/** The newest version the sandbox speaks, used when a request names none. */
export const filesServiceVersion = '2026-10-06'

/** Operation table: `<level> <method> <restype>/<comp>`; level is account, share or path. */
const operations: Record<string, FilesOperation> = {
  'account GET /list': listSharesOperation,
  'share PUT share/': createShareOperation,
  'share GET share/': getShareProperties,
  'share HEAD share/': getShareProperties,
  'share DELETE share/': deleteShareOperation,
  'share PUT share/properties': setShareProperties,
  'share PUT share/metadata': setShareMetadata,
  'share GET share/stats': getShareStats,
  'share GET directory/list': listDirectory,
  'share GET directory/': getDirectoryProperties,
  'share HEAD directory/': getDirectoryProperties,
  'share PUT directory/metadata': setDirectoryMetadata,
  'share PUT directory/properties': setDirectoryProperties,
  'path PUT directory/': createDirectory,
  'path GET directory/': getDirectoryProperties,
  'path HEAD directory/': getDirectoryProperties,
  'path DELETE directory/': deleteDirectory,
  'path GET directory/list': listDirectory,
  'path PUT directory/metadata': setDirectoryMetadata,
  'path PUT directory/properties': setDirectoryProperties,
  'path PUT directory/rename': (call) => rename(call, 'directory'),
  'path PUT /': createFile,
  'path PUT /range': putRange,
  'path GET /': getFile,
  'path HEAD /': getFileProperties,
  'path PUT /properties': setFileProperties,
  'path PUT /metadata': setFileMetadata,
  'path DELETE /': deleteFile,
  'path PUT /rename': (call) => rename(call, 'file'),
}

/** Operations on files and directories (not shares) need the backup intent with a token. */
const isDataOperation = (key: string) => key.startsWith('path') || key.includes('directory/')

/** Azure Files, path-style: /<account>/<share>/<directories...>/<file>. */
export class FilesService {
  readonly namespace: FileNamespace

  constructor(
    private readonly ctx: SandboxContext,
    readonly content: ContentStore,
  ) {
    this.namespace = new FileNamespace(ctx)
  }

  async handle(req: SandboxRequest): Promise<SandboxReply> {
    const version = req.header('x-ms-version') ?? filesServiceVersion
    try {
      const { account, parts } = this.resolve(req)
      const key = this.operationKey(req, parts)
      const operation = operations[key]
      if (!operation) throw this.unknownOperation(req, key)
      const caller = authenticate(this.ctx, req, account, sasRequirement(key, parts))
      if (isDataOperation(key)) requireIntentForToken(caller, req)
      const call: FilesCall = {
        ctx: this.ctx,
        req,
        account,
        parts,
        version,
        caller,
        namespace: this.namespace,
        content: this.content,
      }
      const reply = await operation(call)
      return { ...reply, headers: { ...reply.headers, 'x-ms-version': version } }
    } catch (error) {
      return filesErrorReply(error, version, req.method)
    }
  }

  /** Removes a deleted share's files and their bytes. */
  async dropShare(share: ArmResource): Promise<void> {
    const account = share.id.split('/')[8]!
    for (const contentId of this.namespace.dropShare(account, share.name))
      await this.content.remove(contentId)
  }

  /**
   * The account is the first path segment. @azure/storage-file-share's rename() rebuilds
   * the destination URL as /<share>/<path> and so drops the account on path-style
   * endpoints; for a rename the account is then taken from x-ms-file-rename-source,
   * which the SDK sends in full.
   */
  private resolve(req: SandboxRequest): { account: ArmResource; parts: string[] } {
    const segments = splitPath(req.path)
    const first = segments[0] ? findAccountByName(this.ctx, segments[0]) : undefined
    if (first) return { account: ready(first), parts: segments.slice(1) }
    const source =
      req.query('comp')?.toLowerCase() === 'rename'
        ? req.header('x-ms-file-rename-source')
        : undefined
    const account = source ? this.accountOfUrl(source, req.url) : undefined
    if (account) return { account: ready(account), parts: segments }
    throw new FilesError(
      400,
      'InvalidUri',
      'The requested URI does not represent any resource on the server.',
    )
  }

  private accountOfUrl(url: string, base: URL): ArmResource | undefined {
    try {
      const first = splitPath(new URL(url, base).pathname)[0]
      return first ? findAccountByName(this.ctx, decodeURIComponent(first)) : undefined
    } catch {
      return undefined
    }
  }

  private operationKey(req: SandboxRequest, parts: string[]): string {
    const level = parts.length === 0 ? 'account' : parts.length === 1 ? 'share' : 'path'
    const restype = (req.query('restype') ?? '').toLowerCase()
    const comp = (req.query('comp') ?? '').toLowerCase()
    return `${level} ${req.method} ${restype}/${comp}`
  }

  private unknownOperation(req: SandboxRequest, key: string): FilesError {
    const [level, , op] = key.split(' ')
    const knownForPath = Object.keys(operations).some(
      (k) => k.startsWith(`${level} `) && k.endsWith(` ${op}`),
    )
    if (knownForPath) return unsupportedVerb()
    const comp = req.query('comp')
    if (comp !== undefined) return invalidQuery('comp', comp)
    const restype = req.query('restype')
    return invalidQuery('restype', restype ?? '')
  }
}

/** The SAS permission and resource type an operation needs (see the operation table). */
function sasRequirement(key: string, parts: string[]): SasRequirement {
  const [level = '', method = '', operation = ''] = key.split(' ')
  const [restype = '', comp = ''] = operation.split('/')
  const permission =
    method === 'DELETE'
      ? 'd'
      : method === 'GET' || method === 'HEAD'
        ? comp === 'list'
          ? 'l'
          : 'r'
        : comp === ''
          ? 'c'
          : 'w'
  const resourceTypes =
    level === 'account' ? 's' : level === 'share' ? 'c' : restype === 'directory' ? 'co' : 'o'
  return {
    permission,
    resourceTypes,
    ...(parts[0] ? { share: parts[0] } : {}),
    path: parts.slice(1),
  }
}

function ready(account: ArmResource): ArmResource {
  if (account.properties?.provisioningState !== 'Succeeded') {
    throw new FilesError(
      409,
      'AccountBeingCreated',
      'The specified account is in the process of being created.',
    )
  }
  return account
}
