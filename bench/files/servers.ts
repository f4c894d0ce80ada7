import { randomBytes } from 'node:crypto'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { sandboxCloud } from '../../electron/azure/auth/clouds'
import { readAccountKey } from '../../electron/azure/files/share-client'
import { createCertificate } from '../../sandbox/core/tls'
import { startTestSandbox } from '../../test/integration/sandbox/harness'
import { startLink, type Link } from '../link'

/*
 * The far side of the files bench, in its own process as Azure is on its own machines: the
 * sandbox (demo seed), a plain HTTPS server, and a simulated link in front of each for every
 * round trip asked for. The bench process holds only the clients, so the servers' work
 * (TLS, MD5, storing the bytes) does not eat into the client's share of the CPU.
 * Started by files.bench.ts with fork(); answers with a ServersReady message.
 */

export interface ServersRequest {
  rtts: number[]
  mbit: number
  /** Bytes the plain server answers a GET with. */
  size: number
}

export interface ServersReady {
  account: string
  /** The account's key (read with listKeys), handed over the IPC channel. */
  key: string
  sandboxCa: string
  sandboxPort: number
  plainCa: string
  plainPort: number
  links: Array<{ rttMs: number; sharePort: number; plainPort: number }>
}

const request = JSON.parse(process.argv[2]!) as ServersRequest
const test = await startTestSandbox({ seed: 'demo' })
const { sandbox } = test
const account = 'stteampoolfiles'
const key = await readAccountKey(
  {
    cloud: sandboxCloud(sandbox),
    subscriptionId: sandbox.subscriptionId,
    tenantId: sandbox.tenantId,
    accountId: 'ada',
    credential: test.credential(),
    tlsCa: sandbox.caCert,
  },
  { subscriptionId: sandbox.subscriptionId, resourceGroup: 'rg-team-pool', account },
)

/** Swallows a PUT; answers a GET with `count` bytes from `offset` (query parameters). */
const bytes = randomBytes(request.size)
const certificate = await createCertificate()
const plain = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
  if (req.method === 'PUT') {
    req.on('data', () => undefined)
    req.on('end', () => res.writeHead(201).end())
    return
  }
  const { searchParams } = new URL(req.url ?? '/', 'https://127.0.0.1')
  const offset = Number(searchParams.get('offset') ?? 0)
  const count = Number(searchParams.get('count') ?? bytes.length)
  const body = bytes.subarray(offset, offset + count)
  res.writeHead(200, { 'content-length': body.length }).end(body)
})
await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve))
const plainPort = (plain.address() as AddressInfo).port

const links: Link[] = []
const ready: ServersReady = {
  account,
  key,
  sandboxCa: sandbox.caCert,
  sandboxPort: sandbox.port,
  plainCa: certificate.cert,
  plainPort,
  links: [],
}
for (const rttMs of request.rtts) {
  const share = await startLink(sandbox.port, { rttMs, mbit: request.mbit })
  const plainLink = await startLink(plainPort, { rttMs, mbit: request.mbit })
  links.push(share, plainLink)
  ready.links.push({ rttMs, sharePort: share.port, plainPort: plainLink.port })
}
process.send!(ready)

// The bench closing the channel (or exiting) ends this side.
process.on('disconnect', () => {
  void (async () => {
    for (const link of links) await link.close()
    plain.closeAllConnections()
    plain.close()
    await test.close()
    process.exit(0)
  })()
})
