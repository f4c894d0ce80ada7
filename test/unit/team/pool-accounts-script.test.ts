import { describe, expect, it } from 'vitest'
import type { TemplateRuntime } from '../../../sandbox/arm/template/env'
import { templateFiles } from '../../../electron/azure/deploy/template-files'
import { linuxProtectedScript, withAccount } from '../../../electron/azure/team/pool-accounts'
import { toParameterFile } from '../../../shared/parameter-file'
import {
  checkPoolAccount,
  encodePoolAccounts,
  type PoolAccount,
} from '../../../shared/pool-accounts'
import { linuxSpec } from '../pool-spec/specs'
import { prepare, rgId, scope } from '../template/helpers'

const files = templateFiles()
const identity = {
  principalId: '2f9c8e14-5b0d-4b8e-9a57-3c1f7d6e0a21',
  clientId: '6d1c7a53-3c4e-4a1f-9d55-0b8f4f2d9e11',
}
const storageKey = `${'k'.repeat(86)}==`
const fqdn = 'teampool.westeurope.cloudapp.azure.com'
const runtime: TemplateRuntime = {
  getResource: (id) =>
    Promise.resolve({ id, properties: { tenantId: 't', ...identity, dnsSettings: { fqdn } } }),
  invokeAction: () =>
    Promise.resolve({ keys: [{ keyName: 'key1', value: storageKey, permissions: 'FULL' }] }),
}
const alan: PoolAccount = {
  user: 'alan',
  passwordHash: `$6$rounds=100000$abcdefghijklmnop$${'a'.repeat(86)}`,
  publicKey:
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alan@laptop',
}

/** The protected script as the template renders it for a spec and these accounts. */
async function templateScript(
  keyAccess: 'identity' | 'settings',
  accounts: PoolAccount[],
  signIn?: { tenantId: string; clientId: string; clientSecret: string },
) {
  const parameters = toParameterFile(linuxSpec(), {
    mountScript: files.mountScript('Linux'),
    keyAccess,
    poolAccounts: { script: files.accountsScript(), accounts },
    ...(signIn ? { jupyterHub: { signIn, script: files.jupyterHubScript() } } : {}),
  }).parameters
  const prepared = await prepare(
    files.template(),
    Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, v.value])),
  )
  const resource = prepared
    .deploymentOrder()
    .find((r) => r.type === 'Microsoft.Compute/virtualMachineScaleSets')!
  const body = (await prepared.resourceBody(resource, 'runtime', runtime)) as {
    properties: {
      virtualMachineProfile: {
        extensionProfile: {
          extensions: Array<{ properties: { protectedSettings: { script: string } } }>
        }
      }
    }
  }
  const encoded =
    body.properties.virtualMachineProfile.extensionProfile.extensions[0]!.properties
      .protectedSettings.script
  return Buffer.from(encoded, 'base64').toString('utf8')
}

describe('the protected script an existing pool is sent', () => {
  it('is exactly what the template writes, for pools whose identity reads the key', async () => {
    const ours = linuxProtectedScript(
      {
        storageAccountName: 'teampoolfiles',
        shareName: 'notebooks',
        mountPoint: '/mnt/dsvmshare',
        storageSuffix: 'core.windows.net',
        key: {
          source: 'identity',
          clientId: identity.clientId,
          storageAccountId: `${rgId}/providers/Microsoft.Storage/storageAccounts/teampoolfiles`,
          armEndpoint: `${scope.armEndpoint}/`,
        },
        mountScript: files.mountScript('Linux'),
        accounts: { script: files.accountsScript(), list: [alan] },
      },
      files,
    )
    expect(ours).toBe(await templateScript('identity', [alan]))
  })

  it('is exactly what the template writes, for pools given the key in protected settings', async () => {
    const ours = linuxProtectedScript(
      {
        storageAccountName: 'teampoolfiles',
        shareName: 'notebooks',
        mountPoint: '/mnt/dsvmshare',
        storageSuffix: 'core.windows.net',
        key: { source: 'settings', storageAccountKey: storageKey },
        mountScript: files.mountScript('Linux'),
        accounts: { script: files.accountsScript(), list: [] },
      },
      files,
    )
    expect(ours).toBe(await templateScript('settings', []))
  })
})

describe('the protected script with JupyterHub sign-in (Set up team access, renewal)', () => {
  it('is exactly what the template writes: accounts, then JupyterHub, then the share', async () => {
    const signIn = {
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      clientId: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
      clientSecret: 'Ab1~Cd2.Ef3_Gh4-Ij5~Kl6.Mn7_Op8-Qr9~St0.',
    }
    const ours = linuxProtectedScript(
      {
        storageAccountName: 'teampoolfiles',
        shareName: 'notebooks',
        mountPoint: '/mnt/dsvmshare',
        storageSuffix: 'core.windows.net',
        key: {
          source: 'identity',
          clientId: identity.clientId,
          storageAccountId: `${rgId}/providers/Microsoft.Storage/storageAccounts/teampoolfiles`,
          armEndpoint: `${scope.armEndpoint}/`,
        },
        mountScript: files.mountScript('Linux'),
        accounts: { script: files.accountsScript(), list: [alan] },
        jupyterHub: {
          script: files.jupyterHubScript(),
          ...signIn,
          callbackUrl: `https://${fqdn}:8000/hub/oauth_callback`,
          loginEndpoint: 'https://login.microsoftonline.com/',
          poolScope: rgId,
        },
      },
      files,
    )
    const theirs = await templateScript('identity', [alan], signIn)
    expect(ours).toBe(theirs)
    expect(ours.indexOf('DSVM_POOL_ACCOUNTS_SCRIPT')).toBeLessThan(
      ours.indexOf('DSVM_POOL_JUPYTERHUB_SCRIPT'),
    )
    expect(ours.indexOf('DSVM_POOL_JUPYTERHUB_SCRIPT')).toBeLessThan(
      ours.indexOf('DSVM_POOL_MOUNT_SCRIPT'),
    )
    // The secret only in base64, so no character of it can end the quoted value.
    expect(ours).not.toContain(signIn.clientSecret)
  })
})

describe('the account list', () => {
  it('replaces a member’s account by user name and checks every field', () => {
    const list = withAccount([alan], {
      ...alan,
      publicKey: alan.publicKey.replace('laptop', 'desk'),
    })
    expect(list).toHaveLength(1)
    expect(list[0]!.publicKey).toMatch(/alan@desk$/)
    expect(() => withAccount([], { ...alan, passwordHash: 'hunter2' })).toThrow(
      /SHA-512-crypt hash/,
    )
    expect(() => withAccount([], { ...alan, user: 'Alan Turing' })).toThrow(/lowercase letters/)
    expect(() => withAccount([], { ...alan, user: 'root' })).toThrow(/'root' is taken/)
    expect(checkPoolAccount({ ...alan, publicKey: `${alan.publicKey}\nssh-rsa AAAA x` })).toMatch(
      /one line/,
    )
  })

  it('goes to the instances as base64 of user TAB hash TAB key lines', () => {
    const text = Buffer.from(encodePoolAccounts([alan]), 'base64').toString('utf8')
    expect(text).toBe(`alan\t${alan.passwordHash}\t${alan.publicKey}\n`)
    expect(encodePoolAccounts([])).toBe('')
  })
})
