import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { trackActivity } from '../../../electron/desktop/activity'
import { newer, UpdateController, type Updater } from '../../../electron/desktop/updates'
import { createEventHub } from '../../../electron/ipc/events'
import type { DeploymentState, DeploymentStatus } from '../../../shared/deploy'

/** electron-updater's AppUpdater as the controller sees it, driven by the test. */
class FakeUpdater extends EventEmitter implements Updater {
  autoDownload = false
  autoInstallOnAppQuit = false
  installs = 0
  checks = 0
  next: { version: string } | Error | undefined

  async checkForUpdates() {
    this.checks++
    const next = this.next
    if (next instanceof Error) {
      this.emit('error', next)
      throw next
    }
    if (!next) {
      this.emit('update-not-available')
      return { updateInfo: { version: '1.0.0' } }
    }
    this.emit('update-available', next)
    return { updateInfo: next }
  }

  quitAndInstall() {
    this.installs++
  }

  /** electron-updater finished the background download. */
  downloaded(version: string) {
    this.emit('update-downloaded', { version })
  }
}

const deploying = (state: DeploymentState): DeploymentStatus => ({
  ref: {
    subscriptionId: '00000000-0000-4000-8000-000000000001',
    resourceGroup: 'rg',
    deploymentName: 'dsvm-pool-x',
  },
  poolName: 'x',
  state,
  startedAt: '2026-12-06T09:00:00Z',
  elapsedSeconds: 10,
  resources: [],
  failures: [],
})

function setup(answer = true) {
  const updater = new FakeUpdater()
  const events = createEventHub()
  const activity = trackActivity(events)
  const told: string[] = []
  const asked: string[] = []
  const controller = new UpdateController({
    updater,
    currentVersion: '1.0.0',
    prompts: {
      askRestart: async (version) => {
        asked.push(version)
        return answer
      },
      tell: (message) => told.push(message),
    },
    busy: activity.busy,
    onIdle: activity.onIdle,
    log: () => undefined,
  })
  return { updater, events, controller, told, asked }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('auto-update', () => {
  it('downloads in the background and installs on quit', () => {
    const { updater } = setup()
    expect(updater.autoDownload).toBe(true)
    expect(updater.autoInstallOnAppQuit).toBe(true)
  })

  it('checks quietly at start: no feed or no network is only logged', async () => {
    const { updater, controller, told } = setup()
    updater.next = new Error('net::ERR_INTERNET_DISCONNECTED')
    await controller.checkAtStart()
    expect(told).toEqual([])
    expect(controller.state).toEqual({ kind: 'failed' })
  })

  it('from the menu says whether there is an update, and what went wrong if it could not look', async () => {
    const { updater, controller, told } = setup()
    await controller.checkFromMenu()
    updater.next = { version: '1.1.0' }
    await controller.checkFromMenu()
    updater.next = undefined
    await controller.checkFromMenu()
    expect(told).toEqual([
      'DSVM Pool Manager is up to date.',
      'Version 1.1.0 is available and downloading.',
      'Version 1.1.0 is downloading.',
    ])
    expect(updater.checks).toBe(2)
    const offline = setup()
    offline.updater.next = new Error('getaddrinfo ENOTFOUND')
    await offline.controller.checkFromMenu()
    expect(offline.told).toEqual(['Updates could not be checked.'])
  })

  it('asks once the download is done and restarts when the person agrees', async () => {
    const { updater, controller, asked } = setup(true)
    updater.next = { version: '1.1.0' }
    await controller.checkAtStart()
    updater.downloaded('1.1.0')
    await settle()
    expect(asked).toEqual(['1.1.0'])
    expect(updater.installs).toBe(1)
  })

  it('never restarts during a deployment or a transfer: it waits until both end', async () => {
    const { updater, events, asked, told } = setup(true)
    events.emit('deploy.progress', deploying('Running'))
    events.emit('files.progress', {
      transferId: 't1',
      direction: 'upload',
      path: 'a.ipynb',
      bytes: 1,
      total: 10,
      state: 'running',
    })
    updater.downloaded('1.1.0')
    await settle()
    expect(asked).toEqual(['1.1.0'])
    expect(updater.installs).toBe(0)
    expect(told).toEqual(['The app is in the middle of a deployment.'])
    events.emit('deploy.progress', deploying('Succeeded'))
    expect(updater.installs).toBe(0)
    events.emit('files.progress', {
      transferId: 't1',
      direction: 'upload',
      path: 'a.ipynb',
      bytes: 10,
      total: 10,
      state: 'done',
    })
    expect(updater.installs).toBe(1)
  })

  it('a "Later" leaves the update to install on quit; the menu offers it again', async () => {
    const { updater, controller, asked } = setup(false)
    updater.downloaded('1.1.0')
    await settle()
    expect(updater.installs).toBe(0)
    await controller.checkFromMenu()
    expect(asked).toEqual(['1.1.0', '1.1.0'])
  })

  it('compares versions by number', () => {
    expect(newer('1.10.0', '1.9.3')).toBe(true)
    expect(newer('1.0.0', '1.0.0')).toBe(false)
    expect(newer('0.9.9', '1.0.0')).toBe(false)
  })
})
