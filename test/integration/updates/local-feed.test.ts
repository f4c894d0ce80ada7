import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeHttpExecutor } from 'builder-util/out/nodeHttpExecutor'
import {
  configureRequestOptions,
  configureRequestUrl,
  type DownloadOptions,
} from 'builder-util-runtime'
import { AppImageUpdater } from 'electron-updater'
import type { AppAdapter } from 'electron-updater/out/AppAdapter'
import { trackActivity } from '../../../electron/desktop/activity'
import { UpdateController } from '../../../electron/desktop/updates'
import { createEventHub } from '../../../electron/ipc/events'

/*
 * The real electron-updater against a local update feed, laid out as electron-builder
 * publishes it (latest-linux.yml next to the AppImage, sha512 in base64). Electron itself is
 * a fake: the app adapter electron-updater accepts instead of Electron's `app`, and Node's
 * HTTP client instead of Electron's net module.
 */

const installer = Buffer.from('#!/bin/sh\necho "DSVM Pool Manager 0.2.0"\n'.repeat(500))
const sha512 = createHash('sha512').update(installer).digest('base64')
const feed = [
  'version: 0.2.0',
  'files:',
  '  - url: DSVM-Pool-Manager-0.2.0.AppImage',
  `    sha512: ${sha512}`,
  `    size: ${installer.length}`,
  'path: DSVM-Pool-Manager-0.2.0.AppImage',
  `sha512: ${sha512}`,
  "releaseDate: '2026-12-06T09:00:00.000Z'",
  '',
].join('\n')

/**
 * Node's HTTP client with the download method electron-updater's Electron client has (the
 * same steps as its ElectronHttpExecutor.download, on Node's http instead of Electron's net).
 */
class NodeDownloadExecutor extends NodeHttpExecutor {
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers ?? undefined, redirect: 'manual' }
      configureRequestUrl(url, requestOptions)
      configureRequestOptions(requestOptions)
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error: Error | null) => (error ? reject(error) : resolve(destination)),
          responseHandler: null,
        },
        0,
      )
    })
  }
}

class FakeElectronApp implements AppAdapter {
  readonly name = 'DSVM Pool Manager'
  readonly isPackaged = true
  quits = 0
  constructor(
    readonly version: string,
    private readonly dir: string,
  ) {}
  get appUpdateConfigPath() {
    return join(this.dir, 'app-update.yml')
  }
  get userDataPath() {
    return join(this.dir, 'user-data')
  }
  get baseCachePath() {
    return join(this.dir, 'cache')
  }
  whenReady() {
    return Promise.resolve()
  }
  relaunch() {}
  quit() {
    this.quits++
  }
  onQuit() {}
}

let server: Server
let url: string
let dir: string
const requested: string[] = []
const savedAppImage = process.env.APPIMAGE

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dsvm-update-'))
  // electron-updater updates the AppImage the app runs from.
  process.env.APPIMAGE = join(dir, 'DSVM-Pool-Manager-0.1.0.AppImage')
  writeFileSync(process.env.APPIMAGE, 'old')
  server = createServer((req, res) => {
    requested.push(req.url ?? '')
    if (req.url?.startsWith('/latest-linux.yml')) res.end(feed)
    else if (req.url === '/DSVM-Pool-Manager-0.2.0.AppImage') res.end(installer)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // What electron-builder writes into the app from `publish` in electron-builder.yml.
  writeFileSync(
    join(dir, 'app-update.yml'),
    `provider: generic\nurl: ${url}\nupdaterCacheDirName: dsvm-pool-manager-updater\n`,
  )
})
afterAll(async () => {
  if (savedAppImage === undefined) delete process.env.APPIMAGE
  else process.env.APPIMAGE = savedAppImage
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

function updaterFor(version: string) {
  const app = new FakeElectronApp(version, dir)
  const updater = new AppImageUpdater(null, app)
  // Electron's net module is what electron-updater downloads with; here Node's client. The
  // feed is set after it, so the provider takes that client.
  ;(updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor =
    new NodeDownloadExecutor()
  updater.setFeedURL({ provider: 'generic', url })
  updater.logger = null
  return { app, updater }
}

describe('auto-update against a local feed', () => {
  it('finds the newer version, downloads it in the background, checks its hash and asks to restart', async () => {
    const { updater } = updaterFor('0.1.0')
    const events = createEventHub()
    const activity = trackActivity(events)
    const asked: string[] = []
    const downloaded = new Promise<string>((resolve, reject) => {
      updater.once('update-downloaded', (info: { downloadedFile: string }) =>
        resolve(info.downloadedFile),
      )
      updater.once('error', reject)
    })
    const controller = new UpdateController({
      updater,
      currentVersion: '0.1.0',
      prompts: {
        askRestart: async (version) => {
          asked.push(version)
          return false
        },
        tell: () => undefined,
      },
      busy: activity.busy,
      onIdle: activity.onIdle,
      log: () => undefined,
    })
    await controller.checkAtStart()
    const file = await downloaded
    expect(requested.some((r) => r.startsWith('/latest-linux.yml'))).toBe(true)
    expect(requested).toContain('/DSVM-Pool-Manager-0.2.0.AppImage')
    expect(file).toMatch(/DSVM-Pool-Manager-0\.2\.0\.AppImage$/)
    await expect.poll(() => asked).toEqual(['0.2.0'])
    expect(controller.state).toEqual({ kind: 'ready', version: '0.2.0' })
  })

  it('finds nothing newer when the app already runs the feed’s version', async () => {
    const { updater } = updaterFor('0.2.0')
    const told: string[] = []
    const controller = new UpdateController({
      updater,
      currentVersion: '0.2.0',
      prompts: { askRestart: async () => false, tell: (message) => told.push(message) },
      busy: () => undefined,
      onIdle: () => () => undefined,
      log: () => undefined,
    })
    await controller.checkFromMenu()
    expect(told).toEqual(['DSVM Pool Manager is up to date.'])
  })
})
