import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../../electron/app-services'
import { MemorySecretStore } from '../../../electron/web/memory-secret-store'
import { ed25519KeyPair } from '../../../electron/azure/ssh-keys'
import type { EventPayload } from '../../../shared/api'
import { acceptedDelayMs } from '../../../sandbox/arm/deployments/engine'
import { signInWithBrowser } from '../sandbox/harness'

/*
 * The create-pool calls as the renderer makes them, through the app's validating router with
 * the app's own sign-in: the wizard's choices, the Review step's files, and a deployment that
 * goes on while the app is closed and is picked up again when it starts.
 */
describe('create-pool calls through the app', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dsvm-deploy-app-'))
  const scratch = mkdtempSync(join(tmpdir(), 'dsvm-deploy-state-'))
  /** A sandbox state folder of its own: an app left open must not write over another's. */
  const newStateDir = () => mkdtempSync(join(scratch, 'state-'))
  const sshDir = mkdtempSync(join(tmpdir(), 'dsvm-deploy-ssh-'))
  const subscriptionId = '00000000-0000-4000-8000-000000000001'
  const apps: AppServices[] = []

  async function startApp(
    options: { timeScale?: number; signIn?: boolean; stateDir?: string } = {},
  ): Promise<{
    app: AppServices
    call: (name: string, input: unknown) => Promise<unknown>
    progress: Array<EventPayload<'deploy.progress'>>
  }> {
    const app: AppServices = createAppServices({
      shell: 'web',
      version: 'test',
      platform: 'linux',
      dataDir,
      sshDir,
      secretStore: new MemorySecretStore(),
      sandbox: {
        stateDir: options.stateDir ?? newStateDir(),
        timeScale: options.timeScale ?? 600,
        seed: 'empty',
      },
      deploy: { watchIntervalMs: 20, updateIntervalInMs: 10 },
      log: (level, message) =>
        process.env.DEPLOY_TEST_LOG && console.log(`[app] ${level} ${message}`),
      openExternal: async (url) => {
        const sandbox = app.sandbox.current
        if (sandbox && url.startsWith(sandbox.authorityHost))
          void signInWithBrowser(url, 'ada@contoso.example', sandbox.caCert)
      },
    })
    apps.push(app)
    const progress: Array<EventPayload<'deploy.progress'>> = []
    app.events.subscribe((name, payload) => {
      if (name === 'deploy.progress') progress.push(payload as EventPayload<'deploy.progress'>)
    })
    const call = async (name: string, input: unknown) => {
      const result = await app.router.call(name, input)
      if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`)
      return result.value
    }
    await call('sandbox.start', {})
    if (options.signIn ?? true) {
      await call('auth.signIn', { method: 'browser' })
      await call('settings.update', { chosenSubscriptionIds: [subscriptionId] })
    }
    return { app, call, progress }
  }

  const spec = (poolName: string) => ({
    subscriptionId,
    resourceGroup: { mode: 'new', name: `${poolName}-rg` },
    location: 'eastus',
    poolName,
    osType: 'Linux',
    vmSku: 'Standard_D2s_v5',
    instanceCount: 1,
    priority: 'Regular',
    evictionPolicy: 'Deallocate',
    maxPrice: -1,
    autoscale: { enabled: true, minimum: 0, maximum: 2, default: 1, schedule: null },
    adminUsername: 'dsvmadmin',
    sshPublicKey: ed25519KeyPair('ada@laptop').publicKey,
    allowedSourceRanges: ['203.0.113.0/24'],
    network: { access: 'Public', dnsLabel: poolName },
    storage: {
      mode: 'new',
      accountName: `${poolName.replace(/-/g, '')}files`,
      shareName: 'notebooks',
      mountpointPath: '/mnt/dsvmshare',
    },
    tags: {},
  })

  async function until<T>(read: () => T | undefined): Promise<T> {
    for (let i = 0; i < 3000; i++) {
      const value = read()
      if (value !== undefined) return value
      await new Promise((r) => setTimeout(r, 10))
    }
    throw new Error('Not reached')
  }

  afterAll(async () => {
    for (const app of apps) await app.close()
    for (const dir of [dataDir, scratch, sshDir]) rmSync(dir, { recursive: true, force: true })
  })

  it("answers the wizard's questions and writes the Review step's files without secrets", async () => {
    const { call, app } = await startApp()
    const regions = (await call('wizard.regions', { subscriptionId })) as Array<{ name: string }>
    expect(regions.map((r) => r.name)).toContain('westeurope')
    const sizes = (await call('wizard.vmSizes', {
      subscriptionId,
      location: 'eastus',
      priority: 'Regular',
    })) as Array<{ name: string; vCPUs: number; quota?: { limit: number } }>
    expect(sizes.find((s) => s.name === 'Standard_D4s_v5')).toMatchObject({
      vCPUs: 4,
      quota: { limit: 64 },
    })
    const prices = (await call('wizard.sizePrices', {
      location: 'eastus',
      osType: 'Linux',
      priority: 'Regular',
      sizes: ['Standard_D4s_v5'],
    })) as Array<{ perHour?: number }>
    expect(prices[0]!.perHour).toBeGreaterThan(0)

    const key = (await call('wizard.generateSshKey', { poolName: 'team' })) as {
      privateKeyPath: string
      publicKey: string
    }
    expect(key.privateKeyPath).toBe(join(sshDir, 'dsvm-team'))
    expect(existsSync(key.privateKeyPath)).toBe(true)
    expect(await call('wizard.readPublicKey', { text: key.publicKey })).toMatchObject({
      publicKey: key.publicKey,
    })

    const windows = {
      ...spec('win-team'),
      osType: 'Windows',
      sshPublicKey: undefined,
      adminPassword: 'Correct-Horse-42!',
      storage: { ...spec('win-team').storage, mountpointPath: 'Z:' },
    }
    const review = (await call('wizard.review', { spec: windows })) as {
      parameterFile: { parameters: Record<string, { value: unknown }> }
      exportFile: { parameters: Record<string, unknown> }
      azCommands: string[]
    }
    expect(review.parameterFile.parameters.adminPassword).toEqual({ value: '********' })
    expect(review.exportFile.parameters).not.toHaveProperty('adminPassword')
    expect(JSON.stringify(review)).not.toContain('Correct-Horse-42!')
    expect(review.azCommands.find((c) => c.includes('az deployment group create'))).toContain(
      '--name dsvm-pool-win-team',
    )

    const imported = (await call('wizard.importParameters', {
      text: readFileSync(
        resolve(import.meta.dirname, '../../fixtures/dsvm-vmss-cluster.parameters.json'),
        'utf8',
      ),
    })) as { format: string; spec: Record<string, unknown> }
    expect(imported).toMatchObject({
      format: 'dsvm-vmss-cluster',
      spec: { vmSku: 'Standard_D2s_v3' },
    })

    // The router refuses what is not a spec or is too big, before any service sees it.
    expect(
      await app.router.call('deploy.preflight', { spec: { ...spec('x'), poolName: 'X' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    })
    expect(
      await app.router.call('wizard.importParameters', { text: 'x'.repeat(300_000) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'Validation' },
    })
  })

  it('picks up a deployment that went on while the app was closed, and watches it to the end', async () => {
    // The sandbox's clock stands still (time scale 0) until the test moves it, so the
    // deployment is running whenever each app looks, however slow this machine is.
    // The two apps share one sandbox state, as one computer's app does across a restart.
    const stateDir = newStateDir()
    const first = await startApp({ timeScale: 0, stateDir })
    const started = (await first.call('deploy.start', { spec: spec('closed-app') })) as {
      ref: { deploymentName: string }
    }
    expect(started.ref.deploymentName).toBe('dsvm-pool-closed-app')
    first.app.sandbox.current!.clock.advance(acceptedDelayMs)
    await until(() => first.progress.find((s) => s.state === 'Running'))
    await first.app.close()

    const second = await startApp({ timeScale: 0, signIn: false, stateDir })
    type Listed = Array<{ poolName: string; state: string }>
    // Asked before sign-in finished: the subscription cannot be looked up yet, which must not
    // keep the running deployment out of later lists.
    expect((await second.app.router.call('deploy.list', {})).ok).toBeDefined()
    await second.call('auth.signIn', { method: 'browser' })
    const list = (await second.call('deploy.list', {})) as Listed
    expect(list.map((d) => [d.poolName, d.state])).toEqual([['closed-app', 'Running']])
    second.app.sandbox.current!.clock.setTimeScale(600)
    const done = await until(() =>
      second.progress.find((s) => s.state === 'Succeeded' || s.state === 'Failed'),
    )
    expect(done).toMatchObject({ state: 'Succeeded', poolName: 'closed-app' })
    expect(done.outputs?.jupyterHubUrl).toContain('closed-app')
  })
})
