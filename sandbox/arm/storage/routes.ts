import { ArmError, notFound } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import { ok, type Route, type SandboxReply, type SandboxRequest } from '../../core/http'
import type { ArmResource } from '../../core/resources'
import {
  accountKeys,
  accountView,
  deleteAccount,
  findAccountByName,
  isAccountNameTaken,
  listKeysBody,
  putAccount,
  regenerateAccountKey,
  storageAccountType,
  validateAccountInput,
  type StorageAccountInput,
} from './accounts'
import { requireResourceGroup as requireGroup } from '../resources'
import { fileServiceView, setFileServiceProperties } from './file-services'
import { checkAccountName } from './names'
import {
  createShare,
  deleteShare,
  findShare,
  listShares,
  shareView,
  updateShare,
  type ShareSettings,
} from './shares'

/** Sandbox time a new account takes to provision (Azure: 10-30 s). */
const accountCreateMs = 15_000
export const completeAccountCreate = 'storage.accountCreated'

const rgPath = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}'
const accountPath = `${rgPath}/providers/Microsoft.Storage/storageAccounts/{accountName}`
const sharePath = `${accountPath}/fileServices/{fileService}/shares/{shareName}`

interface AccountBody {
  location?: string
  extendedLocation?: { type?: string; name?: string }
  sku?: { name?: string }
  kind?: string
  tags?: Record<string, string>
  properties?: Record<string, unknown>
}

interface ShareBody {
  properties?: { shareQuota?: number; accessTier?: string; metadata?: Record<string, string> }
}

export function storageRoutes(): Route[] {
  return [
    { service: 'arm', method: 'PUT', pattern: accountPath, handler: putAccountHandler },
    {
      service: 'arm',
      method: 'GET',
      pattern: accountPath,
      handler: (req, ctx) => ok(accountView(ctx, requireAccount(ctx, req))),
    },
    { service: 'arm', method: 'DELETE', pattern: accountPath, handler: deleteAccountHandler },
    { service: 'arm', method: 'PATCH', pattern: accountPath, handler: patchAccountHandler },
    {
      service: 'arm',
      method: 'PUT',
      pattern: `${accountPath}/fileServices/{fileService}`,
      handler: (req, ctx) => {
        const account = requireAccount(ctx, req)
        requireDefaultService(req)
        return ok(setFileServiceProperties(ctx, account, req.json()))
      },
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${accountPath}/fileServices/{fileService}`,
      handler: (req, ctx) => {
        const account = requireAccount(ctx, req)
        requireDefaultService(req)
        return ok(fileServiceView(account))
      },
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${accountPath}/fileServices`,
      handler: (req, ctx) => ok({ value: [fileServiceView(requireAccount(ctx, req))] }),
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${rgPath}/providers/Microsoft.Storage/storageAccounts`,
      handler: (req, ctx) => {
        requireResourceGroup(ctx, req)
        return listAccounts(ctx, req.params.subscriptionId!, req.params.resourceGroup)
      },
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.Storage/storageAccounts',
      handler: (req, ctx) => listAccounts(ctx, req.params.subscriptionId!),
    },
    {
      service: 'arm',
      method: 'POST',
      pattern: `${accountPath}/listKeys`,
      handler: (req, ctx) => ok(listKeysBody(accountKeys(requireAccount(ctx, req)))),
    },
    {
      service: 'arm',
      method: 'POST',
      pattern: `${accountPath}/regenerateKey`,
      handler: (req, ctx) => {
        const account = requireAccount(ctx, req)
        const keyName = req.json<{ keyName?: string }>()?.keyName
        if (!keyName)
          throw new ArmError(
            400,
            'InvalidRequestContent',
            "The request content is missing the required property 'keyName'.",
          )
        return ok(listKeysBody(regenerateAccountKey(ctx, account, keyName)))
      },
    },
    {
      service: 'arm',
      method: 'POST',
      pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.Storage/checkNameAvailability',
      access: 'read',
      handler: (req, ctx) => {
        const body = req.json<{ name?: string; type?: string }>()
        if (typeof body?.name !== 'string') {
          throw new ArmError(
            400,
            'InvalidRequestContent',
            "The request content is missing the required property 'name'.",
          )
        }
        if (body.type && body.type.toLowerCase() !== storageAccountType.toLowerCase()) {
          throw new ArmError(
            400,
            'InvalidResourceType',
            `The resource type '${body.type}' is not supported; use '${storageAccountType}'.`,
          )
        }
        return ok(checkAccountName(body.name, (name) => isAccountNameTaken(ctx, name)))
      },
    },
    { service: 'arm', method: 'PUT', pattern: sharePath, handler: putShareHandler },
    { service: 'arm', method: 'PATCH', pattern: sharePath, handler: patchShareHandler },
    {
      service: 'arm',
      method: 'GET',
      pattern: sharePath,
      handler: (req, ctx) => {
        const share = requireShare(ctx, req, requireAccount(ctx, req))
        return ok(shareView(share, /stats/i.test(req.query('$expand') ?? '')))
      },
    },
    {
      service: 'arm',
      method: 'DELETE',
      pattern: sharePath,
      handler: (req, ctx) => {
        const account = requireAccount(ctx, req)
        requireDefaultService(req)
        const share = findShare(ctx, account, req.params.shareName!)
        if (!share) return { status: 204 }
        deleteShare(ctx, share)
        return { status: 200 }
      },
    },
    {
      service: 'arm',
      method: 'GET',
      pattern: `${accountPath}/fileServices/{fileService}/shares`,
      handler: (req, ctx) => {
        const account = requireAccount(ctx, req)
        requireDefaultService(req)
        const expandStats = /stats/i.test(req.query('$expand') ?? '')
        return ok({ value: listShares(ctx, account).map((s) => shareView(s, expandStats)) })
      },
    },
  ]
}

/** The LRO completion of an account create: the account becomes usable. */
export function accountCreated(ctx: SandboxContext, args: { id: string }): unknown {
  const account = ctx.resources.get(args.id)
  if (!account)
    throw new ArmError(
      404,
      'StorageAccountNotFound',
      'The storage account was deleted while it was being created.',
    )
  account.properties!.provisioningState = 'Succeeded'
  ctx.resources.touch()
  return accountView(ctx, account)
}

function putAccountHandler(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  requireResourceGroup(ctx, req)
  const body = req.json<AccountBody>() ?? {}
  const subscriptionId = req.params.subscriptionId!
  const resourceGroup = req.params.resourceGroup!
  const accountName = req.params.accountName!
  if (!body.location) throw missingProperty('location')
  if (!body.sku?.name) throw missingProperty('sku')
  if (!body.kind) throw missingProperty('kind')
  const input: StorageAccountInput = {
    subscriptionId,
    resourceGroup: actualResourceGroupName(ctx, subscriptionId, resourceGroup),
    name: accountName,
    location: body.location,
    skuName: body.sku.name,
    kind: body.kind,
    ...(body.tags ? { tags: body.tags } : {}),
    ...(body.properties ? { properties: body.properties } : {}),
    ...(body.extendedLocation ? { extendedLocation: body.extendedLocation } : {}),
  }
  validateAccountInput(ctx, input)
  const existing = findAccountByName(ctx, accountName)
  if (existing && existing.properties?.provisioningState === 'Succeeded') {
    // Azure applies a PUT on an existing account synchronously.
    if (existing.location !== input.location.replace(/\s+/g, '').toLowerCase()) {
      throw new ArmError(
        409,
        'InvalidRequestPropertyValue',
        `The location of an existing storage account cannot be changed from '${existing.location}'.`,
      )
    }
    return ok(accountView(ctx, putAccount(ctx, input, 'Succeeded')))
  }
  const account = putAccount(ctx, input, 'Creating')
  const { headers } = ctx.lro.start({
    subscriptionId,
    namespace: 'Microsoft.Storage',
    location: account.location!,
    durationMs: accountCreateMs,
    handler: completeAccountCreate,
    args: { id: account.id },
    apiVersion: req.query('api-version')!,
  })
  // Storage answers a create with 202 and a Location to poll, without Azure-AsyncOperation.
  return { status: 202, headers: { Location: headers.Location! } }
}

/** Update: tags, SKU and settings merged into the account, applied synchronously. */
function patchAccountHandler(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const account = requireAccount(ctx, req)
  const body = req.json<AccountBody>() ?? {}
  const input: StorageAccountInput = {
    subscriptionId: req.params.subscriptionId!,
    resourceGroup: actualResourceGroupName(
      ctx,
      req.params.subscriptionId!,
      req.params.resourceGroup!,
    ),
    name: account.name,
    location: account.location!,
    skuName: body.sku?.name ?? String(account.sku?.name),
    kind: body.kind ?? account.kind!,
    tags: body.tags ?? account.tags ?? {},
    properties: body.properties ?? {},
    ...(account.extendedLocation
      ? { extendedLocation: account.extendedLocation as StorageAccountInput['extendedLocation'] }
      : {}),
  }
  validateAccountInput(ctx, input)
  const state = account.properties?.provisioningState === 'Creating' ? 'Creating' : 'Succeeded'
  return ok(accountView(ctx, putAccount(ctx, input, state)))
}

function deleteAccountHandler(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  requireResourceGroup(ctx, req)
  const account = ctx.resources.get(accountIdOf(req))
  if (!account) return { status: 204 }
  deleteAccount(ctx, account)
  return { status: 200 }
}

function listAccounts(
  ctx: SandboxContext,
  subscriptionId: string,
  resourceGroup?: string,
): SandboxReply {
  const accounts = ctx.resources.list({
    subscriptionId,
    type: storageAccountType,
    ...(resourceGroup ? { resourceGroup } : {}),
  })
  return ok({ value: accounts.map((a) => accountView(ctx, a)) })
}

function putShareHandler(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const account = requireAccount(ctx, req)
  requireDefaultService(req)
  const settings = shareSettings(req.json<ShareBody>())
  const existing = findShare(ctx, account, req.params.shareName!)
  if (existing) return ok(shareView(updateShare(ctx, account, existing, settings)))
  return {
    status: 201,
    body: shareView(createShare(ctx, account, req.params.shareName!, settings)),
  }
}

function patchShareHandler(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const account = requireAccount(ctx, req)
  const share = requireShare(ctx, req, account)
  return ok(shareView(updateShare(ctx, account, share, shareSettings(req.json<ShareBody>()))))
}

function shareSettings(body: ShareBody | undefined): ShareSettings {
  const props = body?.properties ?? {}
  return {
    ...(props.shareQuota !== undefined ? { quotaGiB: props.shareQuota } : {}),
    ...(props.accessTier !== undefined ? { accessTier: props.accessTier } : {}),
    ...(props.metadata !== undefined ? { metadata: props.metadata } : {}),
  }
}

const accountIdOf = (req: SandboxRequest) =>
  `/subscriptions/${req.params.subscriptionId}/resourceGroups/${req.params.resourceGroup}/providers/${storageAccountType}/${req.params.accountName}`

function requireAccount(ctx: SandboxContext, req: SandboxRequest): ArmResource {
  requireResourceGroup(ctx, req)
  const account = ctx.resources.get(accountIdOf(req))
  if (!account)
    throw notFound(storageAccountType, req.params.accountName!, req.params.resourceGroup)
  return account
}

function requireShare(ctx: SandboxContext, req: SandboxRequest, account: ArmResource): ArmResource {
  requireDefaultService(req)
  const share = findShare(ctx, account, req.params.shareName!)
  if (!share) {
    throw new ArmError(
      404,
      'ShareNotFound',
      `The specified share '${req.params.shareName}' does not exist.`,
    )
  }
  return share
}

function requireDefaultService(req: SandboxRequest): void {
  if (req.params.fileService?.toLowerCase() !== 'default') {
    throw new ArmError(
      400,
      'InvalidResourceName',
      `The file service name must be 'default', not '${req.params.fileService}'.`,
    )
  }
}

function requireResourceGroup(ctx: SandboxContext, req: SandboxRequest): void {
  requireGroup(ctx, req.params.subscriptionId!, req.params.resourceGroup!)
}

/** The group's name as it was created (ids keep the creator's casing, as ARM's do). */
function actualResourceGroupName(
  ctx: SandboxContext,
  subscriptionId: string,
  resourceGroup: string,
): string {
  return requireGroup(ctx, subscriptionId, resourceGroup).name
}

const missingProperty = (name: string) =>
  new ArmError(
    400,
    'InvalidRequestContent',
    `The request content is missing the required property '${name}'.`,
  )
