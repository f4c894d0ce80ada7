import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppServices, type AppServices } from '../../../electron/app-services'
import { MemorySecretStore } from '../../../electron/web/memory-secret-store'
import type { Sandbox } from '../../../sandbox/index'
import type { EventName, EventPayload } from '../../../shared/api'
import type { Result } from '../../../shared/contract'
import { RecordingLauncher } from '../../unit/connect/fake-launcher'
import { signInWithBrowser } from '../sandbox/harness'

/*
 * The whole app (app services behind the validating router, as both shells run it) against
 * its embedded sandbox with the demo seed, kept in a state folder so that the app can stop
 * in the middle of something and start again while "Azure" carries on. Sign-ins are kept in
 * one secret store across restarts, as the desktop app keeps them encrypted on disk.
 */

export const subscriptionId = '00000000-0000-4000-8000-000000000001'
export const teamPoolId = `/subscriptions/${subscriptionId}/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool`

export interface World {
  app: AppServices
  sandbox(): Sandbox
  call(name: string, input?: unknown): Promise<Result<unknown>>
  /** The value, or throws with the app's error. */
  value<T>(name: string, input?: unknown): Promise<T>
  /** Every event the current app sent, by name. */
  events<N extends EventName>(name: N): Array<EventPayload<N>>
  signIn(): Promise<void>
  /** How many times the app was restarted: events of an earlier app are gone. */
  readonly restarts: number
  /** The app stops in the middle of whatever it does and starts again on the same folders. */
  restart(): Promise<void>
  downloadsDir: string
  close(): Promise<void>
}

export async function startWorld(options: { signedIn?: boolean } = {}): Promise<World> {
  const scratch = mkdtempSync(join(tmpdir(), 'dsvm-faults-'))
  const secretStore = new MemorySecretStore()
  const downloadsDir = join(scratch, 'Downloads')
  let app!: AppServices
  let recorded = new Map<string, unknown[]>()
  let clockTicker: ReturnType<typeof setInterval> | undefined
  let port: number | undefined
  let restarts = 0

  const start = async () => {
    recorded = new Map()
    app = createAppServices({
      shell: 'web',
      version: 'test',
      platform: 'linux',
      dataDir: join(scratch, 'data'),
      sshDir: join(scratch, '.ssh'),
      downloadsDir,
      launcher: new RecordingLauncher(),
      secretStore,
      // Again on the same port after a restart: Azure's address does not change.
      sandbox: { stateDir: join(scratch, 'azure'), seed: 'demo', ...(port ? { port } : {}) },
      pools: { intervals: { fastMs: 200, steadyMs: 400, idleMs: 400 }, updateIntervalInMs: 10 },
      deploy: { watchIntervalMs: 20, updateIntervalInMs: 10 },
      log: () => undefined,
      openExternal: async (url) => {
        const sandbox = app.sandbox.current
        if (sandbox && url.startsWith(sandbox.authorityHost))
          void signInWithBrowser(url, 'ada@contoso.example', sandbox.caCert)
      },
    })
    app.events.subscribe((name, payload) => {
      recorded.set(name, [...(recorded.get(name) ?? []), payload])
    })
    const started = await app.router.call('sandbox.start', {})
    if (!started.ok) throw new Error(started.error.message)
    port = app.sandbox.current!.port
  }
  await start()

  // Azure's long-running work moves on in simulated time: 15 seconds per tick.
  const tick = () => {
    const sandbox = app.sandbox.current
    // Simulated time waits for work that takes real time (instance scripts).
    if (sandbox && !sandbox.context.lro.busy) sandbox.clock.advance(15_000)
  }
  clockTicker = setInterval(tick, 10)

  const world: World = {
    get app() {
      return app
    },
    get restarts() {
      return restarts
    },
    sandbox: () => app.sandbox.current!,
    call: (name, input = {}) => app.router.call(name, input),
    async value<T>(name: string, input: unknown = {}) {
      const result = await app.router.call(name, input)
      if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`)
      return result.value as T
    },
    events: <N extends EventName>(name: N) => (recorded.get(name) ?? []) as Array<EventPayload<N>>,
    async signIn() {
      await world.value('auth.signIn', { method: 'browser' })
      await world.value('settings.update', { chosenSubscriptionIds: [subscriptionId] })
    },
    async restart() {
      // No clock ticks for the closed sandbox: it would save its state again after closing.
      clearInterval(clockTicker)
      await app.close()
      await start()
      restarts++
      clockTicker = setInterval(tick, 10)
    },
    downloadsDir,
    async close() {
      clearInterval(clockTicker)
      clockTicker = undefined
      await app.close()
      rmSync(scratch, { recursive: true, force: true })
    },
  }
  if (options.signedIn !== false) await world.signIn()
  return world
}

/**
 * Waits for a state (a spinner that never stops is the failure): checks every few
 * milliseconds, with a cap on the number of checks rather than on time.
 */
export async function waitFor<T>(
  what: string,
  read: () => T | undefined | false | Promise<T | undefined | false>,
  tries = 4000,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await read()
    if (value !== undefined && value !== false) return value
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`Never ended: ${what}`)
}
