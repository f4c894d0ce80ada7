import { connect as tcpConnect, type Socket } from 'node:net'

/*
 * Is SMB (TCP 445) to the storage account reachable from here? Many ISPs and offices block
 * it; a short connect attempt says so before a mount hangs or fails with a system error.
 */

export interface Reachability {
  reachable: boolean
  /** Why not, in words a person can act on. */
  reason?: string
}

export async function checkTcp(
  host: string,
  port = 445,
  timeoutMs = 3000,
  connect: (port: number, host: string) => Socket = tcpConnect,
): Promise<Reachability> {
  return new Promise((resolve) => {
    const socket = connect(port, host)
    const done = (result: Reachability) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(
      () =>
        done({
          reachable: false,
          reason: `No answer on port ${port} within ${timeoutMs / 1000} s: the network (your ISP, office firewall or VPN) most likely blocks SMB.`,
        }),
      timeoutMs,
    )
    socket.once('connect', () => done({ reachable: true }))
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({
        reachable: false,
        reason:
          error.code === 'ENOTFOUND'
            ? `${host} was not found (DNS).`
            : error.code === 'ECONNREFUSED'
              ? `${host} refused port ${port}: SMB is not offered at this address.`
              : `Port ${port} could not be reached (${error.code ?? 'error'}).`,
      }),
    )
  })
}
