import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { callNames, calls, type Account, type CallName, type CallOutput } from '../../../shared/api'
import { webSocketPath, webTokenParam } from '../../../shared/bridge'
import type { Result, ServerFrame } from '../../../shared/contract'
import { errorCodes } from '../../../shared/errors'
import { startWebApp, type WebApp } from '../../../electron/web/web-app'
import { RecordingLauncher } from '../../unit/connect/fake-launcher'
import { signInWithBrowser } from '../sandbox/harness'
import { asReceived, frameText, hugeString, inputsFor, pollution, seededRandom } from './inputs'

/*
 * Every call in shared/api.ts with generated malformed inputs, sent the way a hostile page
 * would: over the web host's real WebSocket to the whole app (signed in to the sandbox, with
 * its demo pools), plus frames the host cannot read. Each answer must be a Validation error
 * (when the schema refuses the input) or an answer the app gives anyone, the host must keep
 * answering, and no prototype may change. The figures go to test-results/fuzz-summary.json.
 */

const seed = 20261206
const summaryFile = resolve(import.meta.dirname, '../../../test-results/fuzz-summary.json')

class FuzzClient {
  private nextId = 1
  private readonly pending = new Map<number, (frame: ServerFrame) => void>()
  readonly closed: Promise<number>

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame
      if (frame.kind === 'result') this.pending.get(frame.id)?.(frame)
    })
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)))
  }

  static async open(app: WebApp): Promise<FuzzClient> {
    const url = `${app.host.origin.replace('http', 'ws')}${webSocketPath}?${webTokenParam}=${app.host.token}`
    const socket = new WebSocket(url, { origin: app.host.origin })
    await new Promise((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
    })
    return new FuzzClient(socket)
  }

  /** Sends one call frame as text (Infinity markers become 1e999) and waits for its answer. */
  call(name: string, input: unknown): Promise<Result<unknown>> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, (frame) => {
        this.pending.delete(id)
        if (frame.kind === 'result') resolve(frame.result)
      })
      this.socket.send(frameText({ kind: 'call', id, name, input }), (error) => {
        if (error) reject(error)
      })
    })
  }

  /** Sends raw bytes and resolves with either the answer to `id` or the close code. */
  raw(
    payload: string | Buffer,
    binary: boolean,
    id?: number,
  ): Promise<{ answer: Result<unknown> } | { closeCode: number }> {
    const answered = new Promise<{ answer: Result<unknown> }>((resolve) => {
      if (id !== undefined)
        this.pending.set(
          id,
          (frame) => frame.kind === 'result' && resolve({ answer: frame.result }),
        )
    })
    this.socket.send(payload, { binary })
    return Promise.race([answered, this.closed.then((closeCode) => ({ closeCode }))])
  }

  close(): void {
    this.socket.close()
  }
}

/** Frames the host cannot take as a call: label, payload, sent as binary. */
const malformedFrames: Array<[string, () => string | Buffer, boolean]> = [
  ['over the 1 MiB limit', () => hugeString(1024 * 1024 + 16), false],
  ['not UTF-8', () => Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), false],
  ['binary', () => Buffer.from(JSON.stringify({ kind: 'call', id: 1, name: 'app.info' })), true],
  ['not JSON', () => 'call app.info please', false],
  [
    'JSON with NaN',
    () => '{"kind":"call","id":3,"name":"cost.setBudget","input":{"budget":NaN}}',
    false,
  ],
  ['an array', () => '[1,2,3]', false],
  ['a call without an id', () => '{"kind":"call","name":"app.info","input":{}}', false],
  ['deeply nested JSON without an id', () => `${'['.repeat(200_000)}${']'.repeat(200_000)}`, false],
  [
    'a call with deeply nested input',
    () =>
      `{"kind":"call","id":9,"name":"settings.update","input":${'{"theme":'.repeat(50_000)}"dark"${'}'.repeat(50_000)}}`,
    false,
  ],
  [
    'a call with a __proto__ frame',
    () => `{"__proto__":{"polluted":"yes"},"kind":"call","id":11,"name":"app.info","input":{}}`,
    false,
  ],
]

/** The prototypes a polluting input would reach, as lists of own keys. */
function prototypeKeys(): Record<string, string[]> {
  const of = (value: object) => Reflect.ownKeys(value).map(String).sort()
  return {
    Object: of(Object.prototype),
    Array: of(Array.prototype),
    Function: of(Function.prototype),
    String: of(String.prototype),
  }
}

describe('IPC fuzz through the web host', () => {
  let app: WebApp
  let client: FuzzClient
  const opened: string[] = []
  const launcher = new RecordingLauncher(['xterm', 'code'])
  const folders: string[] = []
  const prototypesBefore = prototypeKeys()
  const answers: Record<string, number> = {}
  const perCall: Record<string, number> = {}
  const frames: Record<string, number> = {}
  let inputsSent = 0
  const unexpected: string[] = []

  beforeAll(async () => {
    const folder = (name: string) => {
      const dir = mkdtempSync(join(tmpdir(), `dsvm-fuzz-${name}-`))
      folders.push(dir)
      return dir
    }
    const rendererDir = folder('renderer')
    writeFileSync(
      join(rendererDir, 'index.html'),
      '<!doctype html><title>DSVM Pool Manager</title>',
    )
    app = await startWebApp({
      sandbox: true,
      sandboxOptions: { seed: 'demo' },
      rendererDir,
      dataDir: folder('data'),
      env: {},
      log: () => undefined,
      connect: { launcher, sshDir: folder('ssh'), downloadsDir: folder('downloads') },
      openExternal: async (url) => {
        opened.push(url)
        const sandbox = app?.services.sandbox.current
        if (sandbox && url.startsWith(sandbox.authorityHost))
          void signInWithBrowser(url, 'ada@contoso.example', sandbox.caCert)
      },
    })
    client = await FuzzClient.open(app)
  })

  afterAll(async () => {
    client?.close()
    await app?.close()
    for (const dir of folders) rmSync(dir, { recursive: true, force: true })
  })

  async function value<T>(name: CallName, input: unknown = {}): Promise<T> {
    const result = await client.call(name, input)
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`)
    return result.value as T
  }

  it('sends every call malformed inputs and gets Validation or an app error for each', async () => {
    const account = await value<Account>('auth.signIn', { method: 'browser' })
    const subscriptionId = '00000000-0000-4000-8000-000000000001'
    await value('settings.update', { chosenSubscriptionIds: [subscriptionId] })
    await value('pools.refresh')
    const { pools } = await value<CallOutput<'pools.list'>>('pools.list')
    const pool = pools.find((p) => p.name === 'team-pool')
    expect(pool, 'the demo seed has team-pool').toBeDefined()
    const sandbox = app.services.sandbox.current!

    // Good values by field name, so one hostile field at a time gets past the others.
    const plausible: Record<string, unknown> = {
      accountId: account.id,
      tenantId: sandbox.tenantId,
      subscriptionId,
      resourceGroup: 'rg-team-pool',
      deploymentName: 'dsvm-pool-fuzz',
      poolId: pool!.id,
      instanceId: '0',
      method: 'browser',
      url: 'https://portal.azure.com/',
      location: 'eastus',
      priority: 'Regular',
      osType: 'Linux',
      sizes: ['Standard_D4s_v5'],
      currency: 'USD',
      poolName: 'fuzz',
      publisher: 'microsoft-dsvm',
      offer: 'ubuntu-2204',
      plan: '2204-gen2',
      capacity: 1,
      etag: 'W/"fuzz"',
      version: 'fuzz',
      budget: 100,
      refresh: false,
      confirmName: 'not-the-pool',
      action: 'restart',
      on: false,
      text: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuzzFuzzFuzzFuzzFuzzFuzzFuzzFuzzFuzzFuzzFuzz fuzz',
      path: 'fuzz/file.txt',
      parent: 'fuzz',
      name: 'file.txt',
      newName: 'renamed.txt',
      kind: 'file',
      size: 4,
      transferId: '00000000-0000-4000-8000-00000000f022',
      offset: 0,
      data: 'ZnV6eg==',
      acknowledgeCertificateNote: false,
      theme: 'dark',
      closeToTray: true,
      cloud: 'Sandbox',
      chosenSubscriptionIds: [subscriptionId],
    }

    const random = seededRandom(seed)
    for (const name of callNames) {
      const schema = calls[name].input
      for (const { label, input } of inputsFor(schema, plausible, random, {
        randomCount: 12,
        hugeLength: 700_000,
      })) {
        const expectRefusal = !schema.safeParse(asReceived(input) ?? {}).success
        const result = await client.call(name, input)
        inputsSent++
        perCall[name] = (perCall[name] ?? 0) + 1
        const kind = result.ok ? 'ok' : result.error.code
        answers[kind] = (answers[kind] ?? 0) + 1
        const problem = answerProblem(result, expectRefusal)
        if (problem) unexpected.push(`${name} (${label}): ${problem}`)
      }
    }
    // Unknown call names, also malformed.
    for (const name of [
      '',
      'app',
      'app.info.x',
      '__proto__',
      'constructor',
      'toString',
      'x'.repeat(200),
    ]) {
      const result = await client.call(name, {})
      inputsSent++
      const kind = result.ok ? 'ok' : result.error.code
      answers[kind] = (answers[kind] ?? 0) + 1
      if (kind !== 'Validation') unexpected.push(`unknown call '${name.slice(0, 20)}': ${kind}`)
    }

    expect(unexpected).toEqual([])
    expect(Object.keys(perCall).sort()).toEqual([...callNames].sort())
    // Nothing the fuzz sent opened a link the allow-list should refuse.
    for (const url of opened) expect(url).toMatch(/^https:\/\//)
    for (const launch of launcher.launched) {
      expect(launch.args.join(' ')).not.toMatch(/\$\(|`|etc\/passwd|\.\.\//)
    }
  })

  it.each(malformedFrames)(
    'a frame that is %s ends that connection or answers Validation',
    async (label, payload, binary) => {
      const text = payload()
      const id = typeof text === 'string' ? Number(/"id":(\d+)/.exec(text.slice(0, 200))?.[1]) : NaN
      const hostile = await FuzzClient.open(app)
      const outcome = await hostile.raw(text, binary, Number.isNaN(id) ? undefined : id)
      const kind =
        'closeCode' in outcome
          ? `closed ${outcome.closeCode}`
          : outcome.answer.ok
            ? 'ok'
            : outcome.answer.error.code
      frames[`${label}: ${kind}`] = (frames[`${label}: ${kind}`] ?? 0) + 1
      if ('closeCode' in outcome) expect([1003, 1007, 1008, 1009]).toContain(outcome.closeCode)
      else if (label === 'a call with a __proto__ frame')
        expect(outcome.answer).toMatchObject({ ok: true })
      else expect(outcome.answer).toMatchObject({ ok: false, error: { code: 'Validation' } })
      hostile.close()
      // The host and the page that behaved still answer.
      expect(await value('app.info')).toMatchObject({ shell: 'web' })
    },
  )

  it('still answers valid calls, and no prototype changed', async () => {
    expect(await value('app.info')).toMatchObject({ shell: 'web', sandboxRunning: true })
    expect(await value<Account[]>('auth.accounts')).toEqual(
      expect.arrayContaining([expect.objectContaining({ username: 'ada@contoso.example' })]),
    )
    expect(prototypeKeys()).toEqual(prototypesBefore)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, Object.keys(pollution)[0]!)).toBe(
      false,
    )

    const summary = { seed, inputsSent, calls: Object.keys(perCall).length, answers, frames }
    mkdirSync(resolve(summaryFile, '..'), { recursive: true })
    writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`)
    const byKind = Object.entries(answers)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')
    console.log(
      `IPC fuzz (seed ${seed}): ${inputsSent} inputs over ${summary.calls} calls (${byKind}); ${Object.keys(frames).length} malformed frames, host still answering`,
    )
  })
})

/** Why an answer is not what a malformed input may get, or undefined when it is. */
function answerProblem(result: Result<unknown>, expectRefusal: boolean): string | undefined {
  if (result.ok) return expectRefusal ? 'accepted an input its schema refuses' : undefined
  const { code, message } = result.error
  if (!(errorCodes as readonly string[]).includes(code)) return `unknown error code ${code}`
  if (expectRefusal && code !== 'Validation') return `${code} instead of Validation: ${message}`
  if (code === 'Unknown') return `Unknown error: ${message}`
  if (!message.trim()) return 'an error without a message'
  if (
    /\bat .+\(.+:\d+:\d+\)|TypeError|ReferenceError|Cannot read propert|undefined is not/.test(
      message,
    )
  )
    return `raw exception text: ${message}`
  return undefined
}
