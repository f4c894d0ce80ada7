import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { webSocketPath, webTokenParam } from '../../../shared/bridge'
import type { ServerFrame } from '../../../shared/contract'
import { createEventHub } from '../../../electron/ipc/events'
import type { Handlers } from '../../../electron/ipc/handlers'
import { createRouter } from '../../../electron/ipc/router'
import { startWebHost, type WebHost } from '../../../electron/web/web-host'

const settings = {
  cloud: 'AzureCloud',
  chosenSubscriptionIds: [],
  closeToTray: true,
  theme: 'system',
} as const

function rendererFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-renderer-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>DSVM Pool Manager</title><script src="/assets/app.js"></script>',
  )
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("app")')
  writeFileSync(join(tmpdir(), 'outside-the-renderer.txt'), 'must not be served')
  return dir
}

/** Opens a WebSocket and resolves with the HTTP status of a refusal, or 101 when accepted. */
function connect(url: string, origin?: string): Promise<{ status: number; socket?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {})
    socket.once('open', () => resolve({ status: 101, socket }))
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 })
      socket.terminate()
    })
    socket.once('error', (error) => reject(error))
  })
}

function nextFrame(
  socket: WebSocket,
  match: (frame: ServerFrame) => boolean,
): Promise<ServerFrame> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as ServerFrame
      if (match(frame)) {
        socket.off('message', onMessage)
        resolve(frame)
      }
    }
    socket.on('message', onMessage)
  })
}

describe('web host', () => {
  let host: WebHost
  const events = createEventHub()
  let signInCalls = 0

  beforeAll(async () => {
    const handlers = {
      'app.info': async () => ({
        version: '0.1.0',
        platform: 'linux',
        shell: 'web',
        sandboxRunning: false,
      }),
      'settings.get': async () => settings,
      'auth.signIn': async () => {
        signInCalls++
        throw new Error('not reached in these tests')
      },
    } as unknown as Handlers
    host = await startWebHost({
      rendererDir: rendererFixture(),
      router: createRouter(handlers),
      events,
    })
  })
  afterAll(() => host.close())

  const apiUrl = (token?: string) =>
    `${host.origin.replace('http', 'ws')}${webSocketPath}${token === undefined ? '' : `?${webTokenParam}=${encodeURIComponent(token)}`}`

  it('prints a 127.0.0.1 URL that carries the token in the fragment', () => {
    expect(host.url).toBe(`${host.origin}/#${webTokenParam}=${host.token}`)
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
  })

  it('refuses a WebSocket without the token (401)', async () => {
    expect((await connect(apiUrl(), host.origin)).status).toBe(401)
  })

  it('refuses a WebSocket with a wrong token (401)', async () => {
    expect((await connect(apiUrl('wrong'), host.origin)).status).toBe(401)
    expect((await connect(apiUrl(`${host.token}x`), host.origin)).status).toBe(401)
    expect((await connect(apiUrl(host.token.slice(0, -1)), host.origin)).status).toBe(401)
  })

  it('refuses a WebSocket from another origin, even with the token (403)', async () => {
    expect((await connect(apiUrl(host.token), 'https://evil.example')).status).toBe(403)
    expect(
      (await connect(apiUrl(host.token), host.origin.replace('127.0.0.1', 'localhost'))).status,
    ).toBe(403)
    expect((await connect(apiUrl(host.token))).status).toBe(403)
  })

  it('refuses a WebSocket addressed through another host name (DNS rebinding, 403)', async () => {
    const rebound = apiUrl(host.token).replace('127.0.0.1', 'localhost')
    expect((await connect(rebound, host.origin.replace('127.0.0.1', 'localhost'))).status).toBe(403)
  })

  it('accepts the right token from its own origin, and a call round-trips', async () => {
    const { status, socket } = await connect(apiUrl(host.token), host.origin)
    expect(status).toBe(101)
    const ws = socket!
    try {
      const answer = nextFrame(ws, (f) => f.kind === 'result' && f.id === 1)
      ws.send(JSON.stringify({ kind: 'call', id: 1, name: 'settings.get', input: {} }))
      expect(await answer).toEqual({ kind: 'result', id: 1, result: { ok: true, value: settings } })

      const refused = nextFrame(ws, (f) => f.kind === 'result' && f.id === 2)
      ws.send(
        JSON.stringify({ kind: 'call', id: 2, name: 'auth.signIn', input: { method: 'magic' } }),
      )
      expect(await refused).toMatchObject({ result: { ok: false, error: { code: 'Validation' } } })
      expect(signInCalls).toBe(0)

      const event = nextFrame(ws, (f) => f.kind === 'event')
      events.emit('auth.accountsChanged', [])
      expect(await event).toEqual({ kind: 'event', name: 'auth.accountsChanged', payload: [] })
    } finally {
      ws.close()
    }
  })

  it('answers a malformed frame that has an id with Validation', async () => {
    const { socket } = await connect(apiUrl(host.token), host.origin)
    const ws = socket!
    try {
      const answer = nextFrame(ws, (f) => f.kind === 'result' && f.id === 7)
      ws.send(JSON.stringify({ kind: 'call', id: 7, name: 42 }))
      expect(await answer).toMatchObject({ result: { ok: false, error: { code: 'Validation' } } })
    } finally {
      ws.close()
    }
  })

  it.each([
    ['not JSON', 'hello'],
    ['no id to answer', '{"kind":"call","id":"one"}'],
    ['JSON null', 'null'],
  ])('closes a connection that sends %s', async (_label, text) => {
    const { socket } = await connect(apiUrl(host.token), host.origin)
    const closed = new Promise<number>((resolve) => socket!.once('close', (code) => resolve(code)))
    socket!.send(text)
    expect(await closed).toBe(1008)
  })

  it('serves the renderer with a strict CSP and nosniff', async () => {
    const response = await fetch(`${host.origin}/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    expect(await response.text()).toContain('<title>DSVM Pool Manager</title>')
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).toContain(`connect-src 'self' ${host.origin.replace('http', 'ws')}`)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')

    const script = await fetch(`${host.origin}/assets/app.js`)
    expect(script.headers.get('content-type')).toContain('text/javascript')
    expect(await script.text()).toContain('console.log')
  })

  it('serves index.html for an app route and 404 for a missing asset', async () => {
    expect((await fetch(`${host.origin}/pools/team`)).status).toBe(200)
    expect((await fetch(`${host.origin}/assets/missing.js`)).status).toBe(404)
  })

  it('never serves a file outside the renderer folder', async () => {
    for (const path of [
      '/../outside-the-renderer.txt',
      '/%2e%2e/outside-the-renderer.txt',
      '/..%2foutside-the-renderer.txt',
      '/%2e%2e%5coutside-the-renderer.txt',
    ]) {
      const response = await fetch(`${host.origin}${path}`)
      expect(await response.text(), path).not.toContain('must not be served')
    }
  })

  it('refuses HTTP requests addressed to another host name', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${host.origin}/`, { headers: { host: 'attacker.example' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(403)
  })
})

describe('web host in its own process, sent frames it cannot read', () => {
  let child: ChildProcess
  let exited: Promise<number | null>
  let origin = ''
  let token = ''

  beforeAll(async () => {
    child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'host-process.ts')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
    const line = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('\n')) resolve(out.split('\n')[0]!)
      })
      child.once('exit', (code) => reject(new Error(`host process exited (${code})`)))
    })
    ;({ origin, token } = JSON.parse(line) as { origin: string; token: string })
  })
  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await exited
    }
  })

  /** Fails at once, instead of waiting out the test timeout, when the host process ends. */
  function unlessHostExits<T>(waiting: Promise<T>): Promise<T> {
    const ended = exited.then((code) => {
      throw new Error(`the web host process ended (exit code ${code})`)
    })
    ended.catch(() => undefined) // the host's own stop at the end is no failure
    return Promise.race([waiting, ended])
  }

  async function open(): Promise<WebSocket> {
    const url = `${origin.replace('http', 'ws')}${webSocketPath}?${webTokenParam}=${token}`
    const { status, socket } = await connect(url, origin)
    expect(status).toBe(101)
    return socket!
  }

  async function appVersion(socket: WebSocket, id: number): Promise<string> {
    const answer = nextFrame(socket, (f) => f.kind === 'result' && f.id === id)
    socket.send(JSON.stringify({ kind: 'call', id, name: 'app.info', input: {} }))
    const frame = (await unlessHostExits(answer)) as Extract<ServerFrame, { kind: 'result' }>
    if (!frame.result.ok) throw new Error(frame.result.error.message)
    return (frame.result.value as { version: string }).version
  }

  function closeCode(socket: WebSocket): Promise<number> {
    return new Promise((resolve) => socket.once('close', (code) => resolve(code)))
  }

  it.each([
    ['a frame over the 1 MiB limit', 1009, 'x'.repeat(1024 * 1024 + 1)],
    ['a text frame that is not UTF-8', 1007, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
  ])(
    'closes only the client that sends %s (%i); the host and its other clients go on',
    async (_label, code, payload) => {
      const bystander = await open()
      const before = await appVersion(bystander, 1)

      const sender = await open()
      const closed = closeCode(sender)
      sender.send(payload, { binary: false })
      expect(await unlessHostExits(closed)).toBe(code)

      // Same process, same memory: the handler's call count went on from where it was.
      const after = await appVersion(bystander, 2)
      expect(Number(after.split('+')[1])).toBe(Number(before.split('+')[1]) + 1)
      expect(child.exitCode).toBeNull()
      const newcomer = await open()
      expect(await appVersion(newcomer, 1)).toMatch(/^0\.1\.0\+\d+$/)
      bystander.close()
      newcomer.close()
    },
  )
})
