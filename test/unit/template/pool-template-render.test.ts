import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TemplateRuntime } from '../../../sandbox/arm/template/env'
import { spawnSync } from 'node:child_process'
import {
  toParameterFile,
  type DeploymentInputs,
  type KeyAccess,
} from '../../../shared/parameter-file'
import { poolSpecSchema, type PoolSpec } from '../../../shared/pool-spec'
import { linuxSpec } from '../pool-spec/specs'
import { prepare } from './helpers'

/**
 * The pool template's resource bodies as the deployment engine evaluates them, for the edge
 * cases a deployment in the sandbox does not reach: the longest names, Spot without a cap.
 */

const root = resolve(__dirname, '../../..')
const template = JSON.parse(
  readFileSync(resolve(root, 'resources/templates/dsvm-pool.json'), 'utf8'),
) as unknown
const scripts = {
  Linux: readFileSync(resolve(root, 'resources/scripts/mount-share.sh'), 'utf8'),
  Windows: readFileSync(resolve(root, 'resources/scripts/mount-share.ps1'), 'utf8'),
}
const jupyterHubScript = readFileSync(
  resolve(root, 'resources/scripts/jupyterhub-entra.sh'),
  'utf8',
)
const storageKey = `${'k'.repeat(86)}==`

const identity = {
  principalId: '2f9c8e14-5b0d-4b8e-9a57-3c1f7d6e0a21',
  clientId: '6d1c7a53-3c4e-4a1f-9d55-0b8f4f2d9e11',
}
const runtime: TemplateRuntime = {
  getResource: (id) =>
    /\/userAssignedIdentities\/[^/]+$/i.test(id)
      ? Promise.resolve({ id, properties: { tenantId: 't', ...identity } })
      : /\/publicIPAddresses\/[^/]+$/i.test(id)
        ? Promise.resolve({
            id,
            properties: { dnsSettings: { fqdn: 'team-pool.westeurope.cloudapp.azure.com' } },
          })
        : Promise.reject(new Error(`no read of ${id} expected`)),
  invokeAction: (_id, action) =>
    action.toLowerCase() === 'listkeys'
      ? Promise.resolve({ keys: [{ keyName: 'key1', value: storageKey, permissions: 'FULL' }] })
      : Promise.reject(new Error(`unexpected ${action}`)),
}

async function scaleSetBody(
  spec: PoolSpec,
  keyAccess: KeyAccess = 'identity',
  extra: Partial<DeploymentInputs> = {},
) {
  const parameters = toParameterFile(spec, {
    mountScript: scripts[spec.osType],
    keyAccess,
    storageAccountKey: storageKey,
    ...extra,
  }).parameters
  const prepared = await prepare(
    template,
    Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, v.value])),
  )
  const resource = prepared
    .deploymentOrder()
    .find((r) => r.type === 'Microsoft.Compute/virtualMachineScaleSets')!
  return (await prepared.resourceBody(resource, 'runtime', runtime)) as {
    plan: unknown
    properties: {
      singlePlacementGroup: boolean
      virtualMachineProfile: {
        priority: string
        evictionPolicy: string | null
        billingProfile: { maxPrice: number } | null
        osProfile: { computerNamePrefix: string; customData?: string | null }
        extensionProfile: {
          extensions: Array<{
            properties: {
              settings: { commandToExecute?: string }
              protectedSettings: { script?: string } | null
            }
          }>
        }
      }
    }
  }
}

const longestWindows = () =>
  poolSpecSchema.parse({
    ...linuxSpec(),
    poolName: `w${'x'.repeat(39)}`,
    osType: 'Windows',
    sshPublicKey: undefined,
    adminPassword: 'Correct-Horse-42!',
    network: { access: 'Public', dnsLabel: `w${'x'.repeat(62)}` },
    storage: {
      mode: 'existing',
      accountName: 'a'.repeat(24),
      shareName: `s${'h'.repeat(62)}`,
      mountpointPath: 'Z:',
    },
  })

describe('the pool template as evaluated for the scale set', () => {
  it('Windows: a fixed command without secrets runs the script from customData (under 64 KB), the key fetched through the identity', async () => {
    const body = await scaleSetBody(longestWindows())
    const profile = body.properties.virtualMachineProfile
    const extension = profile.extensionProfile.extensions[0]!
    expect(extension.properties.protectedSettings ?? null).toBeNull()
    expect(extension.properties.settings.commandToExecute).toBe(
      'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "& ([scriptblock]::Create([IO.File]::ReadAllText((Join-Path $env:SystemDrive \'AzureData\\CustomData.bin\'))))"',
    )
    const delivered = Buffer.from(profile.osProfile.customData!, 'base64')
    expect(delivered.length).toBeLessThan(65_535)
    const text = delivered.toString()
    expect(text).toContain(`$env:SHARE_NAME = 's${'h'.repeat(62)}'`)
    expect(text).toContain("$env:KEY_SOURCE = 'identity'")
    expect(text).toContain(`$env:IDENTITY_CLIENT_ID = '${identity.clientId}'`)
    expect(text).toContain(
      `$env:STORAGE_ACCOUNT_ID = '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/pool-rg/providers/Microsoft.Storage/storageAccounts/${'a'.repeat(24)}'`,
    )
    expect(text).not.toContain(storageKey)
    expect(text.endsWith(scripts.Windows)).toBe(true)
    expect(body.properties.virtualMachineProfile.osProfile.computerNamePrefix).toBe('wxxxxxxxx')
  })

  it('Windows without a managed identity: the key only in customData, which Azure never returns', async () => {
    const body = await scaleSetBody(longestWindows(), 'settings')
    const profile = body.properties.virtualMachineProfile
    const text = Buffer.from(profile.osProfile.customData!, 'base64').toString()
    expect(text).toContain(
      `$env:KEY_SOURCE = 'settings'\n$env:STORAGE_ACCOUNT_KEY = '${storageKey}'\n`,
    )
    expect(JSON.stringify(profile.extensionProfile)).not.toContain(storageKey)
  })

  it('Spot without a price cap pays up to the regular price (-1)', async () => {
    const body = await scaleSetBody(linuxSpec({ priority: 'Spot', maxPrice: -1 }))
    expect(body.properties.virtualMachineProfile).toMatchObject({
      priority: 'Spot',
      evictionPolicy: 'Deallocate',
      billingProfile: { maxPrice: -1 },
    })
  })

  it('a Regular pool has no eviction policy, price cap or plan', async () => {
    const body = await scaleSetBody(linuxSpec())
    expect(body.plan ?? null).toBeNull()
    expect(body.properties.virtualMachineProfile.evictionPolicy ?? null).toBeNull()
    expect(body.properties.virtualMachineProfile.billingProfile ?? null).toBeNull()
    expect(body.properties.singlePlacementGroup).toBe(true)
  })

  it('Linux: the script goes whole into protectedSettings with the identity to fetch the key with, and no key', async () => {
    const body = await scaleSetBody(linuxSpec())
    const extension = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!
    const script = Buffer.from(extension.properties.protectedSettings!.script!, 'base64').toString()
    expect(script.startsWith('#!/bin/sh\n')).toBe(true)
    expect(script).toContain(
      "export STORAGE_ACCOUNT_NAME='teampoolfiles' SHARE_NAME='notebooks' MOUNT_POINT='/mnt/dsvmshare' STORAGE_SUFFIX='core.windows.net'\n",
    )
    expect(script).toContain(
      `export KEY_SOURCE=identity IDENTITY_CLIENT_ID='${identity.clientId}' STORAGE_ACCOUNT_ID='/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/pool-rg/providers/Microsoft.Storage/storageAccounts/teampoolfiles' ARM_ENDPOINT='https://localhost:1234/'\n`,
    )
    expect(script).not.toContain(storageKey)
    expect(script).toContain(`\n${scripts.Linux}\nDSVM_POOL_MOUNT_SCRIPT\n`)
    expect(scripts.Linux.split('\n')).not.toContain('DSVM_POOL_MOUNT_SCRIPT')
    expect(body.properties.virtualMachineProfile.osProfile.customData ?? null).toBeNull()
  })

  it('Linux without a managed identity: the key from listKeys() in protectedSettings only', async () => {
    const body = await scaleSetBody(linuxSpec(), 'settings')
    const extension = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!
    const script = Buffer.from(extension.properties.protectedSettings!.script!, 'base64').toString()
    expect(script).toContain(`export KEY_SOURCE=settings STORAGE_ACCOUNT_KEY='${storageKey}'\n`)
    expect(extension.properties.settings).toEqual({})
  })

  describe('JupyterHub sign-in with Microsoft accounts', () => {
    const signIn = {
      tenantId: '72f988bf-0000-4000-8000-00000000c0de',
      clientId: '0f5c2a11-7d3e-4c1a-9b8e-1d2c3b4a5e6f',
      clientSecret: 'Q~x8.secret-text_for~tests.0123456789abcd',
    }
    const withHub = { jupyterHub: { signIn, script: jupyterHubScript } }

    it('runs jupyterhub-entra.sh in protectedSettings with the app registration, the secret only as base64 there', async () => {
      const body = await scaleSetBody(linuxSpec(), 'identity', withHub)
      const extension = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!
      const script = Buffer.from(
        extension.properties.protectedSettings!.script!,
        'base64',
      ).toString()
      expect(script).toContain(`\n${jupyterHubScript}\nDSVM_POOL_JUPYTERHUB_SCRIPT\n`)
      expect(script).toContain(
        `\nexport JUPYTERHUB_TENANT_ID='${signIn.tenantId}' JUPYTERHUB_CLIENT_ID='${signIn.clientId}' JUPYTERHUB_CLIENT_SECRET_BASE64='${Buffer.from(signIn.clientSecret).toString('base64')}' JUPYTERHUB_CALLBACK_URL='https://team-pool.westeurope.cloudapp.azure.com:8000/hub/oauth_callback'`,
      )
      expect(script).toContain(
        "POOL_SCOPE='/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/pool-rg'\n",
      )
      // Nothing after JupyterHub's part (the share's script) gets the secret in its environment.
      expect(script).toContain('jupyterhub_status=$?\nunset JUPYTERHUB_CLIENT_SECRET_BASE64\n')
      expect(script).not.toContain(signIn.clientSecret)
      expect(JSON.stringify(extension.properties.settings)).not.toContain(signIn.clientId)
      // The bundle is one POSIX shell script: JupyterHub's part first, then the share's.
      expect(script.indexOf('DSVM_POOL_JUPYTERHUB_SCRIPT')).toBeLessThan(
        script.indexOf('DSVM_POOL_MOUNT_SCRIPT'),
      )
      expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0)
    })

    it('runs the share even when JupyterHub fails, reports the first failure, and hides the secret from the share', async () => {
      // Probes in place of the two scripts: the bundle's own shell logic runs for real.
      const hubProbe = '#!/bin/bash\necho "hub $JUPYTERHUB_CLIENT_ID"\nexit "${HUB_STATUS:-0}"\n'
      const shareProbe =
        '#!/bin/bash\necho "share secret=${JUPYTERHUB_CLIENT_SECRET_BASE64:-unset}"\nexit "${SHARE_STATUS:-0}"\n'
      const bundle = async (hub: boolean) => {
        const body = await scaleSetBody(linuxSpec(), 'identity', {
          mountScript: shareProbe,
          ...(hub ? { jupyterHub: { signIn, script: hubProbe } } : {}),
        })
        const extension = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!
        return Buffer.from(extension.properties.protectedSettings!.script!, 'base64').toString()
      }
      const run = (script: string, env: Record<string, string> = {}) =>
        spawnSync('sh', ['-s'], {
          input: script,
          encoding: 'utf8',
          env: { PATH: process.env.PATH, ...env },
        })
      const withHub = await bundle(true)
      const ok = run(withHub)
      expect(ok.stdout).toBe(`hub ${signIn.clientId}\nshare secret=unset\n`)
      expect(ok.status).toBe(0)
      const hubFails = run(withHub, { HUB_STATUS: '3' })
      expect(hubFails.stdout).toContain('share secret=unset')
      expect(hubFails.status).toBe(3)
      expect(run(withHub, { HUB_STATUS: '3', SHARE_STATUS: '5' }).status).toBe(5)
      const withoutHub = await bundle(false)
      expect(run(withoutHub).stdout).toBe('share secret=unset\n')
      expect(run(withoutHub, { SHARE_STATUS: '4' }).status).toBe(4)
    })

    it('leaves JupyterHub alone without the script, and on Windows pools', async () => {
      const body = await scaleSetBody(linuxSpec())
      const extension = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!
      const script = Buffer.from(
        extension.properties.protectedSettings!.script!,
        'base64',
      ).toString()
      expect(script).not.toContain('JUPYTERHUB')
      const windows = toParameterFile(longestWindows(), {
        mountScript: scripts.Windows,
        ...withHub,
      }).parameters
      expect(windows.jupyterHubSignIn).toBeUndefined()
      expect(windows.jupyterHubScript).toBeUndefined()
    })
  })
})

describe('pool accounts in the Linux protected script', () => {
  const accountsScript = readFileSync(resolve(root, 'resources/scripts/pool-accounts.sh'), 'utf8')
  const hash = `$6$rounds=100000$abcdefghijklmnop$${'a'.repeat(86)}`
  const publicKey =
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOq4l1cZ0b1mGqXvF4kCwG0eC6b8JtqN0fzV3nUq2m7P alan@laptop'

  it('runs pool-accounts.sh with the list before the mount script, inside protectedSettings only', async () => {
    const spec = linuxSpec()
    const parameters = toParameterFile(spec, {
      mountScript: scripts.Linux,
      keyAccess: 'identity',
      poolAccounts: {
        script: accountsScript,
        accounts: [{ user: 'alan', passwordHash: hash, publicKey }],
      },
    }).parameters
    const prepared = await prepare(
      template,
      Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, v.value])),
    )
    const resource = prepared
      .deploymentOrder()
      .find((r) => r.type === 'Microsoft.Compute/virtualMachineScaleSets')!
    const body = (await prepared.resourceBody(resource, 'runtime', runtime)) as {
      properties: {
        virtualMachineProfile: {
          extensionProfile: {
            extensions: Array<{
              properties: { protectedSettings?: { script: string }; settings?: unknown }
            }>
          }
        }
      }
    }
    const extension = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!
    const script = Buffer.from(extension.properties.protectedSettings!.script, 'base64').toString()
    const list = Buffer.from(`alan\t${hash}\t${publicKey}\n`).toString('base64')
    expect(script).toContain(`export POOL_ACCOUNTS='${list}'\n`)
    const accountsAt = script.indexOf(`\n${accountsScript}\nDSVM_POOL_ACCOUNTS_SCRIPT\n`)
    const mountAt = script.indexOf(`\n${scripts.Linux}\nDSVM_POOL_MOUNT_SCRIPT\n`)
    expect(accountsAt).toBeGreaterThan(0)
    expect(mountAt).toBeGreaterThan(accountsAt)
    // The list is gone before the mount script runs.
    expect(script.indexOf('unset POOL_ACCOUNTS')).toBeGreaterThan(accountsAt)
    expect(script.indexOf('unset POOL_ACCOUNTS')).toBeLessThan(mountAt)
    expect(JSON.stringify(extension.properties.settings)).not.toContain('$6$')
  })

  it('leaves the script as it was without pool accounts', async () => {
    const body = await scaleSetBody(linuxSpec())
    const extension = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!
    const script = Buffer.from(extension.properties.protectedSettings!.script!, 'base64').toString()
    expect(script).not.toContain('POOL_ACCOUNTS')
    expect(script).not.toContain('DSVM_POOL_ACCOUNTS_SCRIPT')
  })
})
