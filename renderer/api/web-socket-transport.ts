import type { ClientFrame, Result, ServerFrame } from '../../shared/contract'
import type { AppErrorShape } from '../../shared/errors'
import type { ConnectionStatus, Transport } from './transport'

/** The part of the browser's WebSocket this transport uses (tests pass a fake). */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onclose: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onerror: ((event: unknown) => void) | null
}

export interface WebSocketTransportOptions {
  url: string
  createSocket?: (url: string) => WebSocketLike
  /** First reconnect delay; doubles per failed attempt up to maxDelayMs. */
  initialDelayMs?: number
  maxDelayMs?: number
  /** How long a call made while disconnected waits for the connection before failing. */
  offlineAfterMs?: number
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

export interface WebSocketTransport extends Transport {
  /** Closes for good: no reconnect, waiting calls fail as Offline. */
  close(): void
}

const OPEN = 1

const offline: AppErrorShape = {
  code: 'Offline',
  message: 'The connection to the app was lost before it answered. Try again.',
}
const notConnected: AppErrorShape = {
  code: 'Offline',
  message:
    'The app is not reachable. Check that it is still running; if it was restarted, open the new address it printed.',
}

interface Waiting {
  frame: ClientFrame
  resolve: (result: Result<unknown>) => void
  timer: unknown
}

/**
 * The web host's side of the bridge: one WebSocket carrying ClientFrame/ServerFrame, with
 * reconnection. Calls in flight when the socket drops fail as Offline (they may or may not
 * have run); calls made while disconnected wait for the connection up to offlineAfterMs.
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const createSocket =
    options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike)
  const initialDelay = options.initialDelayMs ?? 250
  const maxDelay = options.maxDelayMs ?? 5_000
  const offlineAfter = options.offlineAfterMs ?? 8_000
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms))
  const clearTimer =
    options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))

  const inFlight = new Map<number, (result: Result<unknown>) => void>()
  const waiting: Waiting[] = []
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>()
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  let status: ConnectionStatus = 'connecting'
  let socket: WebSocketLike | undefined
  let nextId = 1
  let failedAttempts = 0
  let closed = false

  function setStatus(next: ConnectionStatus): void {
    if (next === status) return
    status = next
    for (const listener of [...statusListeners]) listener(next)
  }

  function connect(): void {
    const ws = createSocket(options.url)
    socket = ws
    ws.onopen = () => {
      failedAttempts = 0
      setStatus('open')
      for (const item of waiting.splice(0)) {
        clearTimer(item.timer)
        send(ws, item.frame, item.resolve)
      }
    }
    ws.onmessage = (event) => receive(event.data)
    ws.onerror = () => {
      // A close event always follows; reconnection is handled there.
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = undefined
      for (const [id, resolve] of inFlight) {
        inFlight.delete(id)
        resolve({ ok: false, error: offline })
      }
      if (closed) return
      setStatus('reconnecting')
      const delay = Math.min(maxDelay, initialDelay * 2 ** failedAttempts)
      failedAttempts += 1
      setTimer(connect, delay)
    }
  }

  function send(
    ws: WebSocketLike,
    frame: ClientFrame,
    resolve: (result: Result<unknown>) => void,
  ): void {
    inFlight.set(frame.id, resolve)
    try {
      ws.send(JSON.stringify(frame))
    } catch {
      inFlight.delete(frame.id)
      resolve({ ok: false, error: offline })
    }
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') return
    let frame: ServerFrame
    try {
      frame = JSON.parse(data) as ServerFrame
    } catch {
      return
    }
    if (frame.kind === 'result') {
      const resolve = inFlight.get(frame.id)
      if (!resolve) return
      inFlight.delete(frame.id)
      resolve(frame.result)
    } else if (frame.kind === 'event') {
      for (const listener of [...(eventListeners.get(frame.name) ?? [])]) listener(frame.payload)
    }
  }

  connect()

  return {
    invoke(name, input) {
      const frame: ClientFrame = { kind: 'call', id: nextId++, name, input }
      return new Promise<Result<unknown>>((resolve) => {
        if (closed) return resolve({ ok: false, error: notConnected })
        if (socket && socket.readyState === OPEN && status === 'open')
          return send(socket, frame, resolve)
        const item: Waiting = {
          frame,
          resolve,
          timer: setTimer(() => {
            const index = waiting.indexOf(item)
            if (index >= 0) waiting.splice(index, 1)
            resolve({ ok: false, error: notConnected })
          }, offlineAfter),
        }
        waiting.push(item)
      })
    },
    on(name, listener) {
      let set = eventListeners.get(name)
      if (!set) eventListeners.set(name, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    close() {
      closed = true
      for (const item of waiting.splice(0)) {
        clearTimer(item.timer)
        item.resolve({ ok: false, error: notConnected })
      }
      socket?.close()
    },
  }
}
