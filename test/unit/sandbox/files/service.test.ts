import { StorageSharedKeyCredential } from '@azure/storage-file-share'
import { beforeEach, describe, expect, it } from 'vitest'
import { provisionStorageAccount } from '../../../../sandbox/arm/storage'
import { createShare } from '../../../../sandbox/arm/storage/shares'
import { ArmError } from '../../../../sandbox/core/arm-error'
import { SandboxClock } from '../../../../sandbox/core/clock'
import type { SandboxContext } from '../../../../sandbox/core/context'
import { Faults } from '../../../../sandbox/core/faults'
import { createRequest, type SandboxReply } from '../../../../sandbox/core/http'
import { LongRunningOperations } from '../../../../sandbox/core/lro'
import { Resources } from '../../../../sandbox/core/resources'
import { SandboxState } from '../../../../sandbox/core/state'
import { UsageLog } from '../../../../sandbox/core/usage'
import { MemoryContentStore } from '../../../../sandbox/files/content-store'
import { FilesService } from '../../../../sandbox/files/service'
import { stringToSign } from '../../../../sandbox/files/shared-key'

const MiB = 1024 * 1024
const base = 'https://127.0.0.1:4443'
let ctx: SandboxContext
let service: FilesService
let key: string

function context(): SandboxContext {
  const state = new SandboxState()
  const clock = new SandboxClock()
  let n = 0
  const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`
  return {
    endpoints: {
      armEndpoint: 'https://localhost:4443',
      authorityHost: 'https://localhost:4443',
      filesEndpoint: base,
      pricesEndpoint: '',
    },
    clock,
    state,
    faults: new Faults(),
    lro: new LongRunningOperations(clock, state, () => 'https://localhost:4443', newId),
    tokens: {
      verify: () => new ArmError(401, 'InvalidAuthenticationToken', 'No tokens in this test.'),
    },
    resources: new Resources(state),
    usage: new UsageLog(state, newId),
    dispatch: () => Promise.reject(new Error('not used')),
    newId,
  }
}

/** A request signed the way @azure/storage-file-share signs it. */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = Buffer.alloc(0),
  signWith = key,
): Promise<SandboxReply> {
  const url = new URL(`${base}${path}`)
  const all: Record<string, string> = {
    'x-ms-version': '2026-10-06',
    'x-ms-date': new Date().toUTCString(),
    ...(body.length ? { 'content-length': String(body.length) } : {}),
    ...headers,
  }
  const toSign = stringToSign('unitacct', { method, url, headers: all })
  const signature = new StorageSharedKeyCredential('unitacct', signWith).computeHMACSHA256(toSign)
  const withAuth = { ...all, authorization: `SharedKey unitacct:${signature}` }
  return service.handle(createRequest({ method, url, headers: withAuth, body }))
}

const code = (reply: SandboxReply) => reply.headers?.['x-ms-error-code']

beforeEach(async () => {
  ctx = context()
  service = new FilesService(ctx, new MemoryContentStore())
  const { account, keys } = provisionStorageAccount(ctx, {
    subscriptionId: '00000000-0000-4000-8000-000000000001',
    resourceGroup: 'unit',
    name: 'unitacct',
    location: 'eastus',
    skuName: 'Standard_LRS',
    kind: 'StorageV2',
  })
  key = keys[1]!.value
  createShare(ctx, account, 'share', {})
  const created = await send('PUT', '/unitacct/share/data.bin', {
    'x-ms-type': 'file',
    'x-ms-content-length': String(8 * MiB),
  })
  expect(created.status).toBe(201)
})

describe('Put Range limits', () => {
  it('writes up to 4 MiB and answers the MD5 of the range', async () => {
    const body = Buffer.alloc(4 * MiB, 3)
    const reply = await send(
      'PUT',
      '/unitacct/share/data.bin?comp=range',
      { range: `bytes=0-${4 * MiB - 1}`, 'x-ms-write': 'update' },
      body,
    )
    expect(reply.status).toBe(201)
    expect(reply.headers?.['Content-MD5']).toMatch(/==$/)
    expect(reply.headers?.['x-ms-version']).toBe('2026-10-06')
  })

  it('refuses a range over 4 MiB with 413 RequestBodyTooLarge', async () => {
    const body = Buffer.alloc(4 * MiB + 1)
    const reply = await send(
      'PUT',
      '/unitacct/share/data.bin?comp=range',
      { 'x-ms-range': `bytes=0-${4 * MiB}`, 'x-ms-write': 'update' },
      body,
    )
    expect(reply.status).toBe(413)
    expect(code(reply)).toBe('RequestBodyTooLarge')
    expect(String(reply.body)).toContain('<MaxLimit>4194304</MaxLimit>')
  })

  it('refuses a body that does not match the range, and a range past the end', async () => {
    const short = await send(
      'PUT',
      '/unitacct/share/data.bin?comp=range',
      { range: 'bytes=0-9', 'x-ms-write': 'update' },
      Buffer.alloc(5),
    )
    expect(short.status).toBe(400)
    expect(code(short)).toBe('InvalidHeaderValue')
    const past = await send(
      'PUT',
      '/unitacct/share/data.bin?comp=range',
      { range: `bytes=${8 * MiB}-${8 * MiB + 9}`, 'x-ms-write': 'update' },
      Buffer.alloc(10),
    )
    expect(past.status).toBe(416)
    expect(code(past)).toBe('InvalidRange')
  })

  it('refuses a clear with a body and an unknown write mode', async () => {
    const clearWithBody = await send(
      'PUT',
      '/unitacct/share/data.bin?comp=range',
      { range: 'bytes=0-9', 'x-ms-write': 'clear' },
      Buffer.alloc(10),
    )
    expect(code(clearWithBody)).toBe('InvalidHeaderValue')
    const unknown = await send(
      'PUT',
      '/unitacct/share/data.bin?comp=range',
      { range: 'bytes=0-9', 'x-ms-write': 'append' },
      Buffer.alloc(10),
    )
    expect(code(unknown)).toBe('InvalidHeaderValue')
  })
})

describe('authentication', () => {
  it('asks for credentials when there are none', async () => {
    const url = new URL(`${base}/unitacct?comp=list`)
    const reply = await service.handle(
      createRequest({
        method: 'GET',
        url,
        headers: { 'x-ms-version': '2026-10-06' },
        body: Buffer.alloc(0),
      }),
    )
    expect(reply.status).toBe(401)
    expect(code(reply)).toBe('NoAuthenticationInformation')
    expect(reply.headers?.['WWW-Authenticate']).toContain('resource_id=https://storage.azure.com')
  })

  it('explains a bad signature with the string the server signed', async () => {
    const reply = await send(
      'GET',
      '/unitacct?comp=list',
      {},
      Buffer.alloc(0),
      Buffer.alloc(64, 7).toString('base64'),
    )
    expect(reply.status).toBe(403)
    expect(code(reply)).toBe('AuthenticationFailed')
    const xml = String(reply.body)
    expect(xml).toContain('<Code>AuthenticationFailed</Code>')
    expect(xml).toContain(
      'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
    )
    expect(xml).toContain('Server used following string to sign: &apos;GET\n')
  })

  it('refuses a stale x-ms-date and a missing x-ms-version', async () => {
    const stale = await send('GET', '/unitacct?comp=list', {
      'x-ms-date': new Date(Date.now() - 20 * 60_000).toUTCString(),
    })
    expect(stale.status).toBe(403)
    expect(String(stale.body)).toContain('Request date header too old')
    const url = new URL(`${base}/unitacct?comp=list`)
    const noVersion = await service.handle(
      createRequest({
        method: 'GET',
        url,
        headers: { authorization: 'SharedKey unitacct:abc' },
        body: Buffer.alloc(0),
      }),
    )
    expect(noVersion.status).toBe(400)
    expect(code(noVersion)).toBe('MissingRequiredHeader')
  })

  it('answers HEAD errors without a body', async () => {
    const reply = await send('HEAD', '/unitacct/share/missing.txt')
    expect(reply.status).toBe(404)
    expect(code(reply)).toBe('ResourceNotFound')
    expect(reply.body).toBeUndefined()
  })
})

describe('usage', () => {
  it('meters a standard share on the MiB it holds', async () => {
    const open = ctx.usage
      .list({ subscriptionId: '00000000-0000-4000-8000-000000000001' })
      .filter((u) => u.end === undefined)
    expect(open).toEqual([
      expect.objectContaining({
        meter: 'filesStorage',
        sku: 'TransactionOptimized LRS',
        quantity: 8 / 1024,
      }),
    ])
    expect((await send('DELETE', '/unitacct/share/data.bin')).status).toBe(202)
    expect(
      ctx.usage
        .list({ subscriptionId: '00000000-0000-4000-8000-000000000001' })
        .every((u) => u.end !== undefined),
    ).toBe(true)
  })
})
