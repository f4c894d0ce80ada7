import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Account, Tenant } from '../../../shared/api'
import { webSocketPath, webTokenParam } from '../../../shared/bridge'
import type { Result, ServerFrame } from '../../../shared/contract'
import { startWebApp, type WebApp } from '../../../electron/web/web-app'
import { listScaleSets } from '../../../sandbox/arm/compute/model'
import { signInWithBrowser } from '../sandbox/harness'

/*
 * The whole app as `npm run start:web -- --sandbox` runs it, driven the way the renderer
 * drives it: calls over the authenticated WebSocket, sign-in through the sandbox's sign-in
 * page (a scripted browser clicks Ada), real MSAL and the real subscriptions client.
 */

class Client {
  private nextId = 1
  private readonly pending = new Map<number, (result: Result<unknown>) => void>()
  readonly events: Array<{ name: string; payload: unknown }> = []

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame
      if (frame.kind === 'result') this.pending.get(frame.id)?.(frame.result)
      else this.events.push({ name: frame.name, payload: frame.payload })
    })
  }

  static async connect(app: WebApp): Promise<Client> {
    const url = `${app.host.origin.replace('http', 'ws')}${webSocketPath}?${webTokenParam}=${app.host.token}`
    const socket = new WebSocket(url, { origin: app.host.origin })
    await new Promise((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
    })
    return new Client(socket)
  }

  call<T>(name: string, input: unknown = {}): Promise<Result<T>> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (result: Result<unknown>) => void)
      this.socket.send(JSON.stringify({ kind: 'call', id, name, input }))
    })
  }

  async value<T>(name: string, input: unknown = {}): Promise<T> {
    const result = await this.call<T>(name, input)
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`)
    return result.value
  }

  /** Sends one text frame as is and resolves with the code the host closes the socket with. */
  sendRaw(payload: string | Buffer): Promise<number> {
    const closed = new Promise<number>((resolve) => this.socket.once('close', resolve))
    this.socket.send(payload, { binary: false })
    return closed
  }

  close(): void {
    this.socket.close()
  }
}

describe('web app with the sandbox', () => {
  let app: WebApp
  let client: Client
  const opened: string[] = []
  let signInAs = 'ada@contoso.example'

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'dsvm-renderer-'))
    writeFileSync(
      join(rendererDir, 'index.html'),
      '<!doctype html><title>DSVM Pool Manager</title>',
    )
    app = await startWebApp({
      sandbox: true,
      rendererDir,
      dataDir: mkdtempSync(join(tmpdir(), 'dsvm-web-data-')),
      log: () => undefined,
      openExternal: async (url) => {
        opened.push(url)
        const sandbox = app?.services.sandbox.current
        if (sandbox && url.startsWith(sandbox.authorityHost))
          void signInWithBrowser(url, signInAs, sandbox.caCert)
      },
    })
    client = await Client.connect(app)
  })
  afterAll(async () => {
    client?.close()
    await app?.close()
  })

  it('starts with the sandbox running and the Sandbox cloud chosen', async () => {
    expect(await client.value('app.info')).toMatchObject({
      shell: 'web',
      sandboxRunning: true,
      secretStorageWarning: expect.stringContaining('memory only'),
    })
    expect(await client.value('settings.get')).toMatchObject({ cloud: 'Sandbox' })
    expect(await client.value('auth.accounts')).toEqual([])
  })

  it('asks for sign-in before listing subscriptions', async () => {
    expect(await client.call('subscriptions.list')).toMatchObject({
      ok: false,
      error: { code: 'AuthRequired' },
    })
  })

  it('signs in through the sandbox sign-in page and lists tenants and subscriptions', async () => {
    const account = await client.value<Account>('auth.signIn', { method: 'browser' })
    expect(account).toMatchObject({
      username: 'ada@contoso.example',
      cloud: 'Sandbox',
      signedIn: true,
    })
    expect(opened.at(-1)).toContain('/oauth2/v2.0/authorize')
    expect(client.events).toContainEqual({ name: 'auth.accountsChanged', payload: [account] })

    const tenants = await client.value<Tenant[]>('subscriptions.list')
    const names = tenants.flatMap((t) => t.subscriptions.map((s) => s.displayName)).sort()
    expect(names).toEqual(['Contoso Data Science', 'Contoso Dev/Test', 'Fabrikam Analytics'])
  })

  it('remembers the chosen subscriptions and tells every page', async () => {
    const chosen = ['00000000-0000-4000-8000-000000000001']
    const settings = await client.value('settings.update', { chosenSubscriptionIds: chosen })
    expect(settings).toMatchObject({ chosenSubscriptionIds: chosen })
    expect(client.events.at(-1)).toMatchObject({
      name: 'settings.changed',
      payload: { chosenSubscriptionIds: chosen },
    })
  })

  it('keeps the sign-in when another page sends frames the host cannot read', async () => {
    for (const [payload, code] of [
      ['x'.repeat(1024 * 1024 + 1), 1009],
      [Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), 1007],
    ] as const) {
      const other = await Client.connect(app)
      expect(await other.sendRaw(payload)).toBe(code)
    }
    expect(await client.value<Account[]>('auth.accounts')).toMatchObject([
      { username: 'ada@contoso.example', signedIn: true },
    ])
  })

  it('opens allowed links only', async () => {
    expect(await client.value('links.open', { url: 'https://portal.azure.com/#home' })).toEqual({
      opened: true,
    })
    expect(await client.value('links.open', { url: 'https://evil.example/' })).toEqual({
      opened: false,
    })
    expect(opened).toContain('https://portal.azure.com/#home')
    expect(opened).not.toContain('https://evil.example/')
  })

  it('signs out', async () => {
    const [account] = await client.value<Account[]>('auth.accounts')
    expect(await client.value('auth.signOut', { accountId: account!.id })).toEqual({
      signedOut: true,
    })
    expect(await client.value('auth.accounts')).toEqual([])
  })

  it('reports a cancelled sign-in as Cancelled', async () => {
    signInAs = 'cancel'
    expect(await client.call('auth.signIn', { method: 'browser' })).toMatchObject({
      ok: false,
      error: { code: 'Cancelled' },
    })
  })
})

describe('web app choosing the sandbox later (Explore with a sandbox)', () => {
  let app: WebApp
  let client: Client
  const opened: string[] = []
  let failOpening = false

  beforeAll(async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'dsvm-renderer-'))
    writeFileSync(
      join(rendererDir, 'index.html'),
      '<!doctype html><title>DSVM Pool Manager</title>',
    )
    app = await startWebApp({
      rendererDir,
      dataDir: mkdtempSync(join(tmpdir(), 'dsvm-web-data-')),
      log: () => undefined,
      env: {},
      openExternal: async (url) => {
        if (failOpening) throw new Error('xdg-open: no method available for opening the URL')
        opened.push(url)
      },
    })
    client = await Client.connect(app)
  })
  afterAll(async () => {
    client?.close()
    await app?.close()
  })

  it('starts on Azure with nothing running and nobody signed in', async () => {
    expect(await client.value('app.info')).toMatchObject({ sandboxRunning: false })
    expect(await client.value('settings.get')).toMatchObject({ cloud: 'AzureCloud' })
    expect(await client.value('auth.accounts')).toEqual([])
  })

  it('starts the sandbox on request, switches to it and tells the page', async () => {
    expect(await client.value('sandbox.start')).toEqual({ cloud: 'Sandbox' })
    expect(await client.value('app.info')).toMatchObject({ sandboxRunning: true })
    expect(client.events).toContainEqual({
      name: 'settings.changed',
      payload: expect.objectContaining({ cloud: 'Sandbox' }),
    })
    // Starting it again is harmless.
    expect(await client.value('sandbox.start')).toEqual({ cloud: 'Sandbox' })
  })

  it('starts the sandbox with the demo seed: a running pool and a pool at zero to try', async () => {
    const sandbox = app.services.sandbox.current!
    const pools = listScaleSets(sandbox.context, sandbox.subscriptionId)
    expect(pools.map((p) => [p.name, p.sku?.capacity]).sort()).toEqual([
      ['gpu-pool', 0],
      ['team-pool', 3],
    ])
  })

  it('says so when the system browser cannot open a page, instead of claiming it did', async () => {
    const sandbox = app.services.sandbox.current!
    failOpening = true
    try {
      expect(await client.value('links.open', { url: `${sandbox.armEndpoint}/_sandbox/` })).toEqual(
        { opened: false },
      )
    } finally {
      failOpening = false
    }
  })

  it('opens the running sandbox’s pages, and no other local address', async () => {
    const sandbox = app.services.sandbox.current!
    expect(await client.value('links.open', { url: `${sandbox.armEndpoint}/_sandbox/` })).toEqual({
      opened: true,
    })
    expect(await client.value('links.open', { url: 'https://localhost:1/' })).toEqual({
      opened: false,
    })
  })

  it('switching back to Azure keeps the choice and announces that account list', async () => {
    const before = client.events.length
    await client.value('settings.update', { cloud: 'AzureCloud' })
    await expect
      .poll(() => client.events.slice(before).map((e) => e.name))
      .toContain('auth.accountsChanged')
    expect(await client.value('settings.get')).toMatchObject({ cloud: 'AzureCloud' })
  })
})
