import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TemplateRuntime } from '../../../electron/sandbox/arm/template/env'
import { toParameterFile } from '../../../shared/parameter-file'
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
const storageKey = `${'k'.repeat(86)}==`

const runtime: TemplateRuntime = {
  getResource: () => Promise.reject(new Error('no reads expected')),
  invokeAction: (_id, action) =>
    action.toLowerCase() === 'listkeys'
      ? Promise.resolve({ keys: [{ keyName: 'key1', value: storageKey, permissions: 'FULL' }] })
      : Promise.reject(new Error(`unexpected ${action}`)),
}

async function scaleSetBody(spec: PoolSpec) {
  const parameters = toParameterFile(spec, {
    mountScript: scripts[spec.osType],
    storageAccountKey: storageKey,
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
        osProfile: { computerNamePrefix: string }
        extensionProfile: {
          extensions: Array<{
            properties: {
              settings: unknown
              protectedSettings: { script?: string; commandToExecute?: string }
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
  it('keeps the Windows command under the 8191 characters cmd.exe takes, with the longest names', async () => {
    const body = await scaleSetBody(longestWindows())
    const extension = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!
    const command = extension.properties.protectedSettings.commandToExecute!
    expect(command.length).toBeLessThan(8191)
    const payload = Buffer.from(/'([A-Za-z0-9+/=]+)'/.exec(command)![1]!, 'base64').toString()
    expect(payload).toContain(`$env:STORAGE_ACCOUNT_KEY = '${storageKey}'`)
    expect(payload).toContain(`$env:SHARE_NAME = 's${'h'.repeat(62)}'`)
    expect(extension.properties.settings).toEqual({})
    expect(body.properties.virtualMachineProfile.osProfile.computerNamePrefix).toBe('wxxxxxxxx')
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

  it('the Linux script goes whole into protectedSettings with the key from listKeys()', async () => {
    const body = await scaleSetBody(linuxSpec())
    const extension = body.properties.virtualMachineProfile.extensionProfile.extensions[0]!
    const script = Buffer.from(extension.properties.protectedSettings.script!, 'base64').toString()
    expect(script.startsWith('#!/bin/sh\n')).toBe(true)
    expect(script).toContain(`export STORAGE_ACCOUNT_KEY='${storageKey}'`)
    expect(script).toContain(
      "export STORAGE_ACCOUNT_NAME='teampoolfiles' SHARE_NAME='notebooks' MOUNT_POINT='/mnt/dsvmshare' STORAGE_SUFFIX='core.windows.net' ADMIN_USERNAME='dsvmadmin'",
    )
    expect(script).toContain(`\n${scripts.Linux}\nDSVM_POOL_MOUNT_SCRIPT\n`)
    expect(scripts.Linux.split('\n')).not.toContain('DSVM_POOL_MOUNT_SCRIPT')
  })
})
