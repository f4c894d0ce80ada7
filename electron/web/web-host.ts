import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { z } from 'zod'
import { webSocketPath, webTokenParam } from '../../shared/bridge'
import type { ServerFrame } from '../../shared/contract'
import { contentSecurityPolicy } from './csp'
import type { EventHub } from '../ipc/events'
import type { Router } from '../ipc/router'
import { readStaticFile } from './static-files'

/*
 * The app in a browser (`npm run start:web`): the built renderer over HTTP and the same router
 * as Electron's IPC over a WebSocket, on 127.0.0.1 only. A WebSocket is accepted only with the
 * per-launch token, from the host's own origin and Host, so neither another web page in the
 * same browser nor another local user who finds the port can call the API.
 */

export interface WebHostOptions {
  /** 0 or omitted: any free port. */
  port?: number
  /** The built renderer (out/renderer). */
  rendererDir: string
  router: Router
  /** Events pushed to every connected page. */
  events?: Pick<EventHub, 'subscribe'>
  /** Defaults to 32 random bytes; tests pass their own. */
  token?: string
}

export interface WebHost {
  /** The page with the token in the fragment (the fragment never reaches a server). */
  url: string
  origin: string
  token: string
  close(): Promise<void>
}

const clientFrameSchema = z.object({
  kind: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(200),
  input: z.unknown(),
})

const maxFrameBytes = 1024 * 1024

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('base64url')
  const tokenDigest = digest(token)
  let origin = ''
  let host = ''
  let headers: Record<string, string> = {}

  const server = createServer((request, response) => {
    void serveStatic(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500)
      response.end()
    })
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes })

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.host !== host) return refuse(response, 403, 'Forbidden')
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuse(response, 405, 'Method not allowed')
    const pathname = new URL(request.url ?? '/', origin).pathname
    const file = await readStaticFile(options.rendererDir, pathname)
    if (!file) return refuse(response, 404, 'Not found')
    response.writeHead(200, {
      ...headers,
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Cache-Control': file.isHtml ? 'no-store' : 'no-cache',
    })
    response.end(request.method === 'HEAD' ? undefined : file.body)
  }

  function refuse(response: ServerResponse, status: number, text: string): void {
    response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' })
    response.end(text)
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(request)
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      socket.destroy()
      return
    }
    sockets.handleUpgrade(request, socket, head, (client) => serveClient(client))
  })

  function checkUpgrade(request: IncomingMessage): string | undefined {
    const url = new URL(request.url ?? '/', origin)
    if (url.pathname !== webSocketPath) return '404 Not Found'
    if (request.headers.host !== host) return '403 Forbidden'
    if (request.headers.origin !== origin) return '403 Forbidden'
    const presented = url.searchParams.get(webTokenParam)
    if (!presented || !timingSafeEqual(digest(presented), tokenDigest)) return '401 Unauthorized'
    return undefined
  }

  function serveClient(client: WebSocket): void {
    // ws reports a frame it cannot read (over maxPayload: 1009, text that is not UTF-8: 1007)
    // as an 'error' on this client after it has started closing it with that code. Without a
    // listener the error is thrown and ends the whole host; with one, only this client goes.
    client.on('error', () => {
      if (client.readyState === client.OPEN) client.close(1011, 'Connection error')
    })
    client.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return client.close(1003, 'Text frames only')
      const frame = parseFrame(data)
      if (frame.kind === 'unreadable') return client.close(1008, 'Malformed frame')
      if (frame.kind === 'invalid') {
        // The caller can be answered: a Validation result, like any refused call.
        const error = { code: 'Validation' as const, message: 'Malformed call frame.' }
        return send(client, { kind: 'result', id: frame.id, result: { ok: false, error } })
      }
      void options.router.call(frame.call.name, frame.call.input).then((result) => {
        send(client, { kind: 'result', id: frame.call.id, result })
      })
    })
  }

  const unsubscribe = options.events?.subscribe((name, payload) => {
    for (const client of sockets.clients) send(client, { kind: 'event', name, payload })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  host = `127.0.0.1:${port}`
  origin = `http://${host}`
  headers = {
    'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://${host}`] }),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  }

  return {
    url: `${origin}/#${webTokenParam}=${token}`,
    origin,
    token,
    async close() {
      unsubscribe?.()
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

type ParsedFrame =
  | { kind: 'call'; call: z.infer<typeof clientFrameSchema> }
  /** Not a call, but it names an id the page waits on. */
  | { kind: 'invalid'; id: number }
  /** Not JSON, or no id to answer: the connection is closed. */
  | { kind: 'unreadable' }

function parseFrame(data: RawData): ParsedFrame {
  let json: unknown
  try {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as ArrayBuffer).toString('utf8')
    json = JSON.parse(text)
  } catch {
    return { kind: 'unreadable' }
  }
  const parsed = clientFrameSchema.safeParse(json)
  if (parsed.success) return { kind: 'call', call: parsed.data }
  const id = (json as { id?: unknown } | null)?.id
  return Number.isInteger(id) && (id as number) >= 0
    ? { kind: 'invalid', id: id as number }
    : { kind: 'unreadable' }
}

function send(client: WebSocket, frame: ServerFrame): void {
  if (client.readyState === client.OPEN) client.send(JSON.stringify(frame))
}

/** Fixed-length digests so timingSafeEqual never throws on a wrong-length token. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}
