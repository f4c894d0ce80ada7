import type { Deployment } from '@azure/arm-resourcesdeployments'
import { templateParameters, type JupyterHubSignIn } from '../../../shared/parameter-file'
import type { PoolSpec } from '../../../shared/pool-spec'
import { AppError } from '../../../shared/errors'
import type { ArmClients } from './clients'
import type { TemplateFiles } from './template-files'
import { chooseKeyAccess } from './key-access'

/**
 * The deployment request for a pool: our template and every parameter, secrets included.
 * It exists only in memory for the request (never logged, never written). The pool's managed
 * identity reads the storage key on the instances; only where the user may not assign roles
 * is the key of an existing account read from Azure right here (protected settings).
 * `jupyterHubSignIn` (Linux pools, from registerJupyterHubApp) makes JupyterHub sign members
 * in with their Microsoft account; it needs the pool's identity, so the right to assign roles.
 */
export async function deploymentBody(
  spec: PoolSpec,
  clients: ArmClients,
  files: TemplateFiles,
  owner?: string,
  jupyterHubSignIn?: JupyterHubSignIn,
): Promise<Deployment> {
  const keyAccess = await chooseKeyAccess(spec, clients)
  if (jupyterHubSignIn && spec.osType === 'Linux' && keyAccess !== 'identity') {
    throw new AppError(
      'Forbidden',
      'JupyterHub sign-in with Microsoft accounts needs the right to assign roles on the pool (Owner, User Access Administrator or Role Based Access Control Administrator): the pool checks membership with its own identity. Choose pool accounts, or ask an Owner to deploy the pool.',
    )
  }
  const storageAccountKey =
    spec.storage.mode === 'existing' && keyAccess === 'settings'
      ? await existingAccountKey(spec, clients)
      : undefined
  const parameters = templateParameters(spec, {
    mountScript: files.mountScript(spec.osType),
    keyAccess,
    ...(storageAccountKey ? { storageAccountKey } : {}),
    ...(owner ? { owner } : {}),
    ...(jupyterHubSignIn && spec.osType === 'Linux'
      ? { jupyterHub: { signIn: jupyterHubSignIn, script: files.jupyterHubScript() } }
      : {}),
    // Pool accounts: the script goes into the model now (no accounts yet); each member adds
    // their own from the pool's page (docs/team.md).
    ...(spec.teamAccess === 'poolAccounts' && spec.osType === 'Linux'
      ? { poolAccounts: { script: files.accountsScript(), accounts: [] } }
      : {}),
  })
  return {
    properties: {
      mode: 'Incremental',
      template: files.template(),
      parameters,
    },
  }
}

async function existingAccountKey(spec: PoolSpec, clients: ArmClients): Promise<string> {
  const group = spec.storage.accountResourceGroup ?? spec.resourceGroup.name
  const keys = await clients.storage.storageAccounts.listKeys(group, spec.storage.accountName)
  const key = keys.keys?.find((k) => k.value)?.value
  if (!key)
    throw new AppError(
      'Forbidden',
      `The keys of storage account '${spec.storage.accountName}' could not be read; your account needs a role that may list them (Contributor or Storage Account Key Operator).`,
    )
  return key
}
