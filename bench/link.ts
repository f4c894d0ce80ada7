import { createConnection, createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/*
 * A simulated network link for the benches: a loopback TCP proxy in front of a server that
 * delays every byte by half the round trip in each direction and caps the bandwidth each way
 * (shared by every connection through it, as one link is). The link buffers at most
 * `bufferBytes` each way and holds senders back beyond it, as TCP's flow control does with
 * a router's queue: without that, megabytes would queue and a request could wait seconds
 * behind other connections' bytes. TLS passes through untouched.
 */

export interface LinkOptions {
  /** Round-trip time added, in milliseconds. */
  rttMs: number
  /** Bandwidth each way in megabits per second; 0 = no cap. */
  mbit: number
  /** Bytes the link holds each way before senders must wait (default 1 MiB). */
  bufferBytes?: number
}

export interface Link {
  port: number
  close(): Promise<void>
}

/** One direction of the link: when each chunk leaves, serialised at the bandwidth cap. */
class Lane {
  private nextFree = 0
  private readonly bytesPerMs: number
  /** Bytes taken and not yet delivered. */
  queued = 0
  /** Senders held back while the buffer is full. */
  readonly waiting = new Set<Socket>()

  constructor(
    mbit: number,
    private readonly delayMs: number,
    readonly bufferBytes: number,
  ) {
    this.bytesPerMs = mbit > 0 ? (mbit * 1_000_000) / 8 / 1000 : Infinity
  }

  /** When a chunk of `bytes` sent now arrives at the other end. */
  arrival(bytes: number): number {
    const departs = Math.max(performance.now(), this.nextFree)
    this.nextFree = departs + bytes / this.bytesPerMs
    this.queued += bytes
    return this.nextFree + this.delayMs
  }

  delivered(bytes: number): void {
    this.queued -= bytes
    if (this.queued >= this.bufferBytes) return
    for (const socket of this.waiting) socket.resume()
    this.waiting.clear()
  }
}

/** Carries one connection's bytes one way through a lane, in order. */
function carry(from: Socket, to: Socket, lane: Lane): void {
  const queue: Array<{ data: Buffer; at: number }> = []
  let timer: NodeJS.Timeout | undefined
  let ended = false
  const pump = () => {
    timer = undefined
    const now = performance.now()
    while (queue.length > 0 && queue[0]!.at <= now) {
      const { data } = queue.shift()!
      lane.delivered(data.length)
      if (!to.destroyed) to.write(data)
    }
    if (queue.length > 0) timer = setTimeout(pump, Math.max(0, queue[0]!.at - now))
    else if (ended) to.end()
  }
  from.on('data', (data: Buffer) => {
    queue.push({ data, at: lane.arrival(data.length) })
    if (lane.queued >= lane.bufferBytes) {
      from.pause()
      lane.waiting.add(from)
    }
    timer ??= setTimeout(pump, Math.max(0, queue[0]!.at - performance.now()))
  })
  from.on('end', () => {
    ended = true
    if (queue.length === 0 && !timer) to.end()
  })
}

/** Starts a link to 127.0.0.1:`targetPort`; connect to 127.0.0.1:`port` to go through it. */
export async function startLink(targetPort: number, options: LinkOptions): Promise<Link> {
  const bufferBytes = options.bufferBytes ?? 1024 * 1024
  const up = new Lane(options.mbit, options.rttMs / 2, bufferBytes)
  const down = new Lane(options.mbit, options.rttMs / 2, bufferBytes)
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const target = createConnection({ host: '127.0.0.1', port: targetPort })
    for (const socket of [client, target]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        target.destroy()
      })
    }
    carry(client, target, up)
    carry(target, client, down)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
