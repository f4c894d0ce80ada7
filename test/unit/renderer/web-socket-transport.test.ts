import { describe, expect, it } from 'vitest'
import type { ClientFrame } from '../../../shared/contract'
import {
  createWebSocketTransport,
  type WebSocketLike,
} from '../../../renderer/api/web-socket-transport'
import type { ConnectionStatus } from '../../../renderer/api/transport'

class FakeSocket implements WebSocketLike {
  readyState = 0
  sent: ClientFrame[] = []
  onopen: ((event: unknown) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as ClientFrame)
  }
  close() {
    this.drop()
  }
  open() {
    this.readyState = 1
    this.onopen?.({})
  }
  drop() {
    this.readyState = 3
    this.onclose?.({})
  }
  reply(id: number, result: unknown) {
    this.onmessage?.({ data: JSON.stringify({ kind: 'result', id, result }) })
  }
  event(name: string, payload: unknown) {
    this.onmessage?.({ data: JSON.stringify({ kind: 'event', name, payload }) })
  }
}

/** A transport on fake sockets and a hand-driven timer list. */
function setup(options: { offlineAfterMs?: number } = {}) {
  const sockets: FakeSocket[] = []
  const timers: Array<{ ms: number; run: () => void; cleared: boolean }> = []
  const statuses: ConnectionStatus[] = []
  const transport = createWebSocketTransport({
    url: 'ws://127.0.0.1:1234/api?token=secret',
    createSocket: (url) => {
      const socket = new FakeSocket(url)
      sockets.push(socket)
      return socket
    },
    initialDelayMs: 100,
    maxDelayMs: 400,
    offlineAfterMs: options.offlineAfterMs ?? 5_000,
    setTimer: (run, ms) => {
      const timer = { ms, run, cleared: false }
      timers.push(timer)
      return timer
    },
    clearTimer: (handle) => {
      ;(handle as { cleared: boolean }).cleared = true
    },
  })
  transport.onStatus((status) => statuses.push(status))
  const runTimers = (filter: (ms: number) => boolean = () => true) => {
    for (const timer of timers.splice(0)) if (!timer.cleared && filter(timer.ms)) timer.run()
  }
  return {
    transport,
    sockets,
    timers,
    statuses,
    runTimers,
    latest: () => sockets[sockets.length - 1]!,
  }
}

describe('web socket transport', () => {
  it('connects to the given URL and answers calls with the matching result frame', async () => {
    const { transport, latest } = setup()
    latest().open()
    const first = transport.invoke('auth.accounts', {})
    const second = transport.invoke('app.info', {})
    const [a, b] = latest().sent
    expect(latest().url).toBe('ws://127.0.0.1:1234/api?token=secret')
    expect(a).toMatchObject({ kind: 'call', name: 'auth.accounts', input: {} })
    latest().reply(b!.id, { ok: true, value: 'info' })
    latest().reply(a!.id, { ok: true, value: [] })
    await expect(first).resolves.toEqual({ ok: true, value: [] })
    await expect(second).resolves.toEqual({ ok: true, value: 'info' })
  })

  it('holds calls made before the socket opens and sends them once it does', async () => {
    const { transport, latest } = setup()
    const pending = transport.invoke('app.info', {})
    expect(latest().sent).toHaveLength(0)
    latest().open()
    expect(latest().sent).toHaveLength(1)
    latest().reply(latest().sent[0]!.id, { ok: true, value: 1 })
    await expect(pending).resolves.toEqual({ ok: true, value: 1 })
  })

  it('fails calls in flight with Offline when the socket drops, then reconnects with growing delays', async () => {
    const { transport, sockets, timers, statuses, runTimers, latest } = setup()
    latest().open()
    const inFlight = transport.invoke('subscriptions.list', {})
    latest().drop()
    await expect(inFlight).resolves.toMatchObject({ ok: false, error: { code: 'Offline' } })
    expect(transport.status()).toBe('reconnecting')

    expect(timers.map((t) => t.ms)).toEqual([100])
    runTimers()
    latest().drop()
    expect(timers.map((t) => t.ms)).toEqual([200])
    runTimers()
    latest().drop()
    runTimers()
    latest().drop()
    expect(timers.map((t) => t.ms)).toEqual([400])
    runTimers()
    latest().open()
    expect(sockets).toHaveLength(5)
    expect(statuses).toEqual(['open', 'reconnecting', 'open'])

    // A successful connection starts the delays over.
    latest().drop()
    expect(timers.map((t) => t.ms)).toEqual([100])
  })

  it('lets a call made while reconnecting wait for the new connection', async () => {
    const { transport, runTimers, latest } = setup()
    latest().open()
    latest().drop()
    const waiting = transport.invoke('app.info', {})
    runTimers((ms) => ms === 100)
    latest().open()
    latest().reply(latest().sent[0]!.id, { ok: true, value: 'back' })
    await expect(waiting).resolves.toEqual({ ok: true, value: 'back' })
  })

  it('fails a waiting call as Offline when no connection comes in time', async () => {
    const { transport, runTimers } = setup({ offlineAfterMs: 3_000 })
    const waiting = transport.invoke('app.info', {})
    runTimers((ms) => ms === 3_000)
    await expect(waiting).resolves.toMatchObject({ ok: false, error: { code: 'Offline' } })
  })

  it('delivers event frames to the listeners of that name until they unsubscribe', () => {
    const { transport, latest } = setup()
    latest().open()
    const seen: unknown[] = []
    const off = transport.on('settings.changed', (payload) => seen.push(payload))
    transport.on('auth.accountsChanged', () => seen.push('wrong'))
    latest().event('settings.changed', { theme: 'dark' })
    off()
    latest().event('settings.changed', { theme: 'light' })
    expect(seen).toEqual([{ theme: 'dark' }])
  })

  it('ignores garbage and answers for unknown call ids', async () => {
    const { transport, latest } = setup()
    latest().open()
    const pending = transport.invoke('app.info', {})
    latest().onmessage?.({ data: 'not json' })
    latest().reply(999, { ok: true, value: 'stray' })
    latest().reply(latest().sent[0]!.id, { ok: true, value: 'mine' })
    await expect(pending).resolves.toEqual({ ok: true, value: 'mine' })
  })

  it('after close() does not reconnect and fails new calls at once', async () => {
    const { transport, timers, latest } = setup()
    latest().open()
    transport.close()
    expect(timers).toHaveLength(0)
    await expect(transport.invoke('app.info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'Offline' },
    })
  })
})
