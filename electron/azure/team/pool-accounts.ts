import { randomUUID } from 'node:crypto'
import type { ShareClient } from '@azure/storage-file-share'
import type { VirtualMachineScaleSetExtension } from '@azure/arm-compute'
import { AppError } from '../../../shared/errors'
import {
  checkPoolAccount,
  encodePoolAccounts,
  type PoolAccount,
} from '../../../shared/pool-accounts'
import { poolDeploymentName } from '../../../shared/pool-spec'
import { poolTags } from '../../../shared/pool-tags'
import type { ArmClients } from '../deploy/clients'
import type { TemplateFiles } from '../deploy/template-files'
import { usesEntraSshLogin } from '../ssh-cert/entra-login'

/**
 * Pool accounts on an existing Linux pool: the list of accounts goes to every instance,
 * present and future, inside the scale set model's Custom Script extension (its protected
 * settings, re-sent whole with a new forceUpdateTag), and running instances take the new
 * model with a manual upgrade (no restart, no reimage): the extension runs pool-accounts.sh
 * again, then mount-share.sh.
 *
 * Protected settings cannot be read back, so the list between updates lives in one file on
 * the pool's share, `.dsvm-pool/pool-accounts.json`, outside the folders the instances give
 * their users (only root's mount of the whole share sees it there). The app reads and writes
 * it with the storage account's key, which only those who may change the scale set can list.
 */

export const accountListPath = '.dsvm-pool/pool-accounts.json'
const mountExtensionName = 'mount-share'

export interface PoolAccountsTarget {
  resourceGroup: string
  poolName: string
  /** The Linux administrator: no pool account may take its name. */
  adminUsername?: string
}

export type PoolAccountsStep = 'list' | 'model' | 'instances'

const membersInstead =
  'Its members sign in with their Microsoft accounts instead: add them under Team. For pool accounts, create a new pool with this app (Create pool), which makes pools that take them.'

/** The pool was not made by this app's template: there is nothing to carry accounts to it. */
function notTemplateMade(poolName: string, why: string): AppError {
  return new AppError(
    'Validation',
    `The pool '${poolName}' was not created with this app's pool template (${why}), so it cannot take pool accounts.`,
    { whatToDo: membersInstead },
  )
}

// ---- the list on the share -------------------------------------------------------------

export async function readAccountList(share: ShareClient): Promise<PoolAccount[]> {
  const file = share.rootDirectoryClient.getFileClient(accountListPath)
  let text: string
  try {
    text = (await file.downloadToBuffer()).toString('utf8')
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return []
    throw error
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new AppError(
      'Validation',
      `The pool's account list (${accountListPath} on its share) is damaged. Delete the file and add the members again.`,
    )
  }
  const accounts = (parsed as { accounts?: unknown }).accounts
  if (!Array.isArray(accounts)) return []
  return accounts.filter(
    (a): a is PoolAccount =>
      typeof a === 'object' &&
      a !== null &&
      typeof (a as PoolAccount).user === 'string' &&
      typeof (a as PoolAccount).passwordHash === 'string' &&
      typeof (a as PoolAccount).publicKey === 'string',
  )
}

export async function writeAccountList(share: ShareClient, accounts: PoolAccount[]): Promise<void> {
  const folder = share.getDirectoryClient('.dsvm-pool')
  await folder.createIfNotExists()
  const body = Buffer.from(JSON.stringify({ version: 1, accounts }, null, 2), 'utf8')
  await folder.getFileClient('pool-accounts.json').uploadData(body)
}

/** The list with the account added, or replacing the one of the same user. */
export function withAccount(
  accounts: PoolAccount[],
  account: PoolAccount,
  adminUsername?: string,
): PoolAccount[] {
  const problem = checkPoolAccount(account, adminUsername)
  if (problem) throw new AppError('Validation', problem)
  return [...accounts.filter((a) => a.user !== account.user), account]
}

// ---- the scale set's protected script ----------------------------------------------------

export interface LinuxScriptValues {
  storageAccountName: string
  shareName: string
  mountPoint: string
  storageSuffix: string
  key:
    | { source: 'identity'; clientId: string; storageAccountId: string; armEndpoint: string }
    | { source: 'settings'; storageAccountKey: string }
  mountScript: string
  accounts?: { script: string; list: readonly PoolAccount[] }
  /** JupyterHub sign-in with Microsoft accounts (jupyterhub-setup.ts); its secret is in here. */
  jupyterHub?: JupyterHubScriptValues
}

/** What the template's `linuxJupyterHubRunner` takes, in its order ({0} to {6}). */
export interface JupyterHubScriptValues {
  script: string
  tenantId: string
  clientId: string
  clientSecret: string
  callbackUrl: string
  loginEndpoint: string
  poolScope: string
}

/**
 * The Linux extension's protected script exactly as resources/templates/dsvm-pool.json
 * writes it (a test renders both and compares them); the runners are the template's own.
 */
export function linuxProtectedScript(values: LinuxScriptValues, files: TemplateFiles): string {
  const variables = files.template().variables as Record<string, string>
  const runner = (name: string, text: string) => variables[name]!.replace('{0}', () => text)
  const hub = values.jupyterHub
  const quoted = (value: string) => {
    if (value.includes("'")) throw new AppError('Validation', 'A value holds a quote.')
    return `'${value}'`
  }
  const prelude = `#!/bin/sh\nexport STORAGE_ACCOUNT_NAME=${quoted(values.storageAccountName)} SHARE_NAME=${quoted(values.shareName)} MOUNT_POINT=${quoted(values.mountPoint)} STORAGE_SUFFIX=${quoted(values.storageSuffix)}\n`
  const key =
    values.key.source === 'identity'
      ? `export KEY_SOURCE=identity IDENTITY_CLIENT_ID=${quoted(values.key.clientId)} STORAGE_ACCOUNT_ID=${quoted(values.key.storageAccountId)} ARM_ENDPOINT=${quoted(values.key.armEndpoint)}\n`
      : `export KEY_SOURCE=settings STORAGE_ACCOUNT_KEY=${quoted(values.key.storageAccountKey)}\n`
  const accounts = values.accounts
    ? `export POOL_ACCOUNTS='${encodePoolAccounts(values.accounts.list)}'\n${runner('linuxAccountsRunner', values.accounts.script)}`
    : ''
  // Values {1}..{6} first: {0}, the script's text, may itself hold braces.
  const jupyterHub = hub
    ? variables
        .linuxJupyterHubRunner!.replace('{1}', () => quotedBare(hub.tenantId))
        .replace('{2}', () => quotedBare(hub.clientId))
        .replace('{3}', () => Buffer.from(hub.clientSecret, 'utf8').toString('base64'))
        .replace('{4}', () => quotedBare(hub.callbackUrl))
        .replace('{5}', () => quotedBare(hub.loginEndpoint))
        .replace('{6}', () => quotedBare(hub.poolScope))
        .replace('{0}', () => hub.script)
    : ''
  return `${prelude}${key}${accounts}${jupyterHub}${runner('linuxScriptRunner', values.mountScript)}`
}

/** A value the template puts between single quotes itself. */
function quotedBare(value: string): string {
  if (value.includes("'")) throw new AppError('Validation', 'A value holds a quote.')
  return value
}

type Json = Record<string, unknown>

/** The template's parameters of the pool's deployment; throws, in plain words, when it has none. */
async function templateDeployment(clients: ArmClients, target: PoolAccountsTarget) {
  let deployment
  try {
    deployment = await clients.deployments.deployments.get(
      target.resourceGroup,
      poolDeploymentName(target.poolName),
    )
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404)
      throw new AppError(
        'Validation',
        `The deployment that created the pool '${target.poolName}' is no longer in the resource group's history, so the app cannot tell how its instances mount the share. Pool accounts cannot be set up on this pool.`,
        { whatToDo: membersInstead },
      )
    throw error
  }
  const parameters = (deployment.properties?.parameters ?? {}) as Record<
    string,
    { value?: unknown }
  >
  const value = (name: string) => {
    const found = parameters[name]?.value
    return typeof found === 'string' ? found : undefined
  }
  const osType = value('osType') ?? 'Linux'
  if (osType !== 'Linux')
    throw new AppError(
      'Validation',
      'Pool accounts are for Linux pools. On a Windows pool, members sign in with their Microsoft account.',
    )
  const storageAccountName = value('storageAccountName')
  const shareName = value('shareName')
  const mountScript = value('mountScript')
  const outputs = (deployment.properties?.outputs ?? {}) as Record<string, { value?: unknown }>
  const unc = String(outputs.shareUnc?.value ?? '')
  const suffix = /^\\\\[a-z0-9]{3,24}\.file\.([^\\]+)\\/.exec(unc)?.[1]
  if (!storageAccountName || !shareName || !mountScript || !suffix)
    throw notTemplateMade(target.poolName, 'its deployment lacks the template’s share settings')
  return { value, storageAccountName, shareName, mountScript, suffix }
}

/** What the pool's deployment says about its share and key, with what Azure holds now. */
export async function scriptValues(
  clients: ArmClients,
  target: PoolAccountsTarget,
): Promise<Omit<LinuxScriptValues, 'accounts'>> {
  const { value, storageAccountName, shareName, mountScript, suffix } = await templateDeployment(
    clients,
    target,
  )
  const mountPoint = value('mountpointPath') ?? '/mnt/dsvmshare'
  const storageGroup =
    value('storage') === 'existing'
      ? (value('storageResourceGroup') ?? target.resourceGroup)
      : target.resourceGroup
  const storageAccountId = `/subscriptions/${clients.context.subscriptionId}/resourceGroups/${storageGroup}/providers/Microsoft.Storage/storageAccounts/${storageAccountName}`
  if ((value('keyAccess') ?? 'identity') === 'identity') {
    const identity = await clients.request<{ properties?: { clientId?: string } }>(
      'GET',
      `/subscriptions/${clients.context.subscriptionId}/resourceGroups/${target.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${target.poolName}-identity?api-version=2023-01-31`,
    )
    const clientId = identity.properties?.clientId
    if (!clientId)
      throw new AppError(
        'NotFound',
        `The pool's managed identity (${target.poolName}-identity) was not found.`,
      )
    return {
      storageAccountName,
      shareName,
      mountPoint,
      storageSuffix: suffix,
      mountScript,
      key: {
        source: 'identity',
        clientId,
        storageAccountId,
        armEndpoint: `${clients.context.cloud.armEndpoint}/`,
      },
    }
  }
  const keys = await clients.storage.storageAccounts.listKeys(storageGroup, storageAccountName)
  const storageAccountKey = keys.keys?.find((k) => k.value)?.value
  if (!storageAccountKey)
    throw new AppError('Forbidden', 'The keys of the pool’s storage account could not be read.')
  return {
    storageAccountName,
    shareName,
    mountPoint,
    storageSuffix: suffix,
    mountScript,
    key: { source: 'settings', storageAccountKey },
  }
}

/**
 * How the pool's members get in, for the Pool accounts card: 'accounts' where pool accounts
 * are the way in (the pool was made with them, or it has no Entra ID login), 'fallback' where
 * members sign in with their Microsoft accounts and pool accounts only help someone who can't
 * be given a role. Throws the reason, with what to do, when the pool cannot take accounts.
 * Reads only what a Reader may (the scale set and the deployment).
 */
export async function poolAccountsWayIn(
  clients: ArmClients,
  target: PoolAccountsTarget,
): Promise<'accounts' | 'fallback'> {
  const extensions = await notWithJupyterHubEntra(clients, target)
  const { value } = await templateDeployment(clients, target)
  if (value('accountsScript')) return 'accounts'
  const entra = usesEntraSshLogin({ virtualMachineProfile: { extensionProfile: { extensions } } })
  return entra ? 'fallback' : 'accounts'
}

/**
 * Sends the accounts to the pool: the scale set's model first (new instances get them), then
 * the running instances that do not have that model yet (manual upgrade).
 */
/**
 * Whether the pool can take pool accounts (its scale set has the template's extension and its
 * deployment says how the share is mounted); throws the reason in plain words otherwise.
 */
export async function checkPoolTakesAccounts(
  clients: ArmClients,
  target: PoolAccountsTarget,
): Promise<void> {
  await notWithJupyterHubEntra(clients, target)
  await scriptValues(clients, target)
}

/**
 * A pool whose JupyterHub signs members in with their Microsoft account (docs/team.md) keeps
 * that secret only in the protected script, which cannot be read back: rewriting the script
 * for pool accounts would drop it, so pool accounts are refused there.
 */
async function notWithJupyterHubEntra(clients: ArmClients, target: PoolAccountsTarget) {
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(
    target.resourceGroup,
    target.poolName,
  )
  if (scaleSet.tags?.[poolTags.jupyterHubApp])
    throw new AppError(
      'Validation',
      `Members of '${target.poolName}' sign in with their Microsoft accounts, to JupyterHub too, so this pool does not take pool accounts.`,
      { whatToDo: 'Ask a Manager of the pool to add you (or your teammates) under Team instead.' },
    )
  return mountExtensionOf(clients, target)
}

export async function mountExtensionOf(clients: ArmClients, target: PoolAccountsTarget) {
  const scaleSet = await clients.compute.virtualMachineScaleSets.get(
    target.resourceGroup,
    target.poolName,
  )
  const extensions = scaleSet.virtualMachineProfile?.extensionProfile?.extensions ?? []
  if (!extensions.some((e) => e.name === mountExtensionName))
    throw notTemplateMade(
      target.poolName,
      `its scale set has no '${mountExtensionName}' extension, which carries the accounts to the instances`,
    )
  return extensions
}

/**
 * Sends the accounts to the pool: the scale set's model first (new instances get them), then
 * the running instances that do not have that model yet (manual upgrade).
 */
export async function applyAccountsToPool(
  clients: ArmClients,
  files: TemplateFiles,
  target: PoolAccountsTarget,
  accounts: readonly PoolAccount[],
  onStep: (step: PoolAccountsStep) => void = () => {},
): Promise<{ upgradedInstances: string[] }> {
  const extensions = await notWithJupyterHubEntra(clients, target)
  const values = await scriptValues(clients, target)
  const script = linuxProtectedScript(
    { ...values, accounts: { script: files.accountsScript(), list: accounts } },
    files,
  )
  return sendProtectedScript(clients, target, extensions, script, {}, onStep)
}

/**
 * Puts a new protected script into the model's Custom Script extension (with a new
 * forceUpdateTag, and `tags` merged into the scale set's in the same PATCH), then brings the
 * running instances that do not have that model yet to it (manual upgrade: the extension runs
 * again, no restart, no reimage).
 */
export async function sendProtectedScript(
  clients: ArmClients,
  target: PoolAccountsTarget,
  extensions: VirtualMachineScaleSetExtension[],
  script: string,
  options: { tags?: Record<string, string> },
  onStep: (step: 'model' | 'instances') => void = () => {},
): Promise<{ upgradedInstances: string[] }> {
  const compute = clients.compute
  onStep('model')
  const updated: VirtualMachineScaleSetExtension[] = extensions.map((extension) =>
    extension.name === mountExtensionName
      ? {
          name: extension.name,
          publisher: extension.publisher,
          typePropertiesType: extension.typePropertiesType,
          typeHandlerVersion: extension.typeHandlerVersion,
          autoUpgradeMinorVersion: extension.autoUpgradeMinorVersion,
          settings: extension.settings as Json | undefined,
          // A new tag makes the extension run again even where the script is the same.
          forceUpdateTag: randomUUID(),
          protectedSettings: { script: Buffer.from(script, 'utf8').toString('base64') },
        }
      : stripped(extension),
  )
  await compute.virtualMachineScaleSets.beginUpdateAndWait(target.resourceGroup, target.poolName, {
    virtualMachineProfile: { extensionProfile: { extensions: updated } },
    ...(options.tags ? { tags: options.tags } : {}),
  })
  onStep('instances')
  const outdated: string[] = []
  for await (const vm of compute.virtualMachineScaleSetVMs.list(
    target.resourceGroup,
    target.poolName,
  )) {
    if (vm.instanceId && vm.latestModelApplied === false) outdated.push(vm.instanceId)
  }
  if (outdated.length > 0)
    await compute.virtualMachineScaleSets.beginUpdateInstancesAndWait(
      target.resourceGroup,
      target.poolName,
      { instanceIds: outdated },
    )
  return { upgradedInstances: outdated }
}

/** An extension as it is sent back: what the model says, without read-only fields. */
function stripped(extension: VirtualMachineScaleSetExtension): VirtualMachineScaleSetExtension {
  const { id: _id, provisioningState: _state, type: _type, ...rest } = extension
  return rest
}
