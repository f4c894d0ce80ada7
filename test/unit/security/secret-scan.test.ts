import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { passwordsIn, scanFootprint, type Footprint, type KnownSecret } from '../../e2e/secret-scan'

/*
 * The E2E secret gate (test/e2e/secret-scan.ts) on planted secrets: each kind is found where
 * it must not be, private keys in ~/.ssh are not, and a clean footprint has no hits.
 */

const storageKey = randomBytes(64).toString('base64')
const password = 'Correct-Horse-42!'
const known: KnownSecret[] = [
  { kind: 'storage key', value: storageKey },
  { kind: 'password', value: password },
]
const jwt = [
  Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url'),
  Buffer.from('{"oid":"ada","aud":"https://management.azure.com"}').toString('base64url'),
  randomBytes(64).toString('base64url'),
].join('.')
const privateKey = generateKeyPairSync('ed25519').privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string

let root: string
let footprint: Footprint
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dsvm-scan-'))
  for (const folder of ['data', 'logs', '.ssh', 'Downloads', 'exports'])
    mkdirSync(join(root, folder))
  writeFileSync(join(root, 'data', 'settings.json'), '{"cloud":"Sandbox","theme":"dark"}')
  writeFileSync(join(root, 'logs', 'main.log'), 'info Sandbox running at https://localhost:1\n')
  writeFileSync(join(root, '.ssh', 'dsvm-team'), privateKey)
  footprint = {
    folders: [root],
    privateKeyFolders: [join(root, '.ssh')],
    commandLines: ['xterm -T team -e ssh -p 50000 azureuser@team.example'],
  }
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const plant = (path: string, content: string | Buffer) => writeFileSync(join(root, path), content)

describe('secret scan', () => {
  it('finds nothing in a clean footprint, and counts what it read', () => {
    expect(scanFootprint(footprint, known)).toEqual({
      filesScanned: 3,
      bytesScanned: expect.any(Number),
      commandLinesScanned: 1,
      hits: [],
    })
  })

  it.each([
    [
      'a storage key in the data folder',
      'data/cache.json',
      `{"key":"${storageKey}"}`,
      'storage key',
    ],
    [
      'a URL-encoded storage key',
      'logs/main.log',
      `GET /x?k=${encodeURIComponent(storageKey)}`,
      'storage key',
    ],
    [
      'the bytes of a storage key',
      'data/blob.bin',
      Buffer.concat([randomBytes(8), Buffer.from(storageKey, 'base64')]),
      'storage key',
    ],
    ['a JWT in a log', 'logs/main.log', `warn token ${jwt} refused`, 'JWT'],
    [
      'a sandbox refresh token',
      'data/msal.json',
      `{"secret":"1.sbx.${randomBytes(48).toString('base64url')}"}`,
      'refresh token',
    ],
    ['a private key in Downloads', 'Downloads/key.pem', privateKey, 'private key'],
    [
      'a password in an exported file',
      'exports/pool.parameters.json',
      `{"adminPassword":{"value":"${password}"}}`,
      'password',
    ],
    [
      'a connection string',
      'data/mount.txt',
      `DefaultEndpointsProtocol=https;AccountName=st;AccountKey=${randomBytes(32).toString('base64')}`,
      'connection string',
    ],
  ] as const)('finds %s', (_label, path, content, kind) => {
    plant(path, content)
    expect(scanFootprint(footprint, known).hits).toEqual([{ where: join(root, path), kind }])
  })

  it.each([
    ['a password', `mount -o password=${password} //st/share /mnt`, 'password'],
    [
      'a storage key',
      `net use Z: \\\\st.file.core.windows.net\\share ${storageKey}`,
      'storage key',
    ],
    ['a private key', `ssh-add - <<< "${privateKey}"`, 'private key'],
    [
      'a SAS signature',
      `https://st.file.core.windows.net/share/a?sv=2024&sig=${encodeURIComponent(randomBytes(32).toString('base64'))}`,
      'SAS signature',
    ],
    ['a JWT', `https://localhost/cb#access_token=${jwt}`, 'JWT'],
  ] as const)('finds %s on a command line', (_label, line, kind) => {
    footprint.commandLines.push(line)
    expect(scanFootprint(footprint, known).hits).toEqual([{ where: 'command line 2', kind }])
  })

  it('reads folders inside folders and the extra folders it is given', () => {
    const outside = mkdtempSync(join(tmpdir(), 'dsvm-scan-ssh-'))
    try {
      writeFileSync(join(outside, 'id_ed25519'), privateKey)
      mkdirSync(join(root, 'data', 'cache', 'deep'), { recursive: true })
      plant('data/cache/deep/token.txt', jwt)
      const report = scanFootprint({ ...footprint, folders: [root, outside] }, known)
      expect(report.hits).toEqual(
        expect.arrayContaining([
          { where: join(root, 'data/cache/deep/token.txt'), kind: 'JWT' },
          { where: join(outside, 'id_ed25519'), kind: 'private key' },
        ]),
      )
      expect(report.hits).toHaveLength(2)
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })

  it('learns the passwords a call sends, wherever they sit in its input', () => {
    expect(
      passwordsIn({
        spec: { adminPassword: password, name: 'ml' },
        list: [{ clientSecret: 'abcd-1234' }],
      }),
    ).toEqual([password, 'abcd-1234'])
    expect(passwordsIn({ spec: { adminUsername: 'azureuser' } })).toEqual([])
  })
})
