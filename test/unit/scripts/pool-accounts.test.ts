import { lstatSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashAccountPassword } from '../../../electron/azure/team/password-hash'
import { FakeInstance, runsAsRoot, strace, type RunResult } from './fake-instance'

const accountsScript = resolve(__dirname, '../../../resources/scripts/pool-accounts.sh')
const mode = (path: string) => statSync(path).mode & 0o777

const alanKey =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOq4l1cZ0b1mGqXvF4kCwG0eC6b8JtqN0fzV3nUq2m7P alan@laptop'
const kateKey =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3z9vOQ3y1d2Ybq7m4Ck0TqXoV7bKp0N1rDkA5y8sQh kate@desk'
// Hashed once: every run of the suite uses the same two.
const alanHash = hashAccountPassword('alan turing machine 1936')
const kateHash = hashAccountPassword('katherine johnson orbit')

const accountsList = (...rows: Array<[string, string, string]>) =>
  Buffer.from(rows.map((row) => row.join('\t')).join('\n') + '\n').toString('base64')

/**
 * Stand-ins for the account tools, recording their arguments (the `calls()` log) and, for
 * chpasswd, what it read on stdin: they change the fake instance's /etc/passwd, /etc/shadow
 * and /home as the real ones would.
 */
function accountTools(instance: FakeInstance) {
  const record = `printf '%s\\n' "$(basename "$0") $*" >> "${instance.log}"`
  instance.file('etc/shadow', 'root:*:19000:0:99999:7:::\n')
  instance.fake(
    'useradd',
    `${record}
for last; do :; done
uid=$((2000 + $(wc -l < "$ROOT/etc/passwd")))
printf '%s:x:%s:%s:DSVM pool account:/home/%s:/bin/bash\\n' "$last" "$uid" "$uid" "$last" >> "$ROOT/etc/passwd"
printf '%s:!:19000:0:99999:7:::\\n' "$last" >> "$ROOT/etc/shadow"
mkdir -p "$ROOT/home/$last" && chmod 750 "$ROOT/home/$last" && chown "$uid:$uid" "$ROOT/home/$last"`,
  )
  instance.fake(
    'userdel',
    `${record}
for last; do :; done
for f in passwd shadow; do grep -v "^$last:" "$ROOT/etc/$f" > "$ROOT/etc/$f.new"; mv "$ROOT/etc/$f.new" "$ROOT/etc/$f"; done
rm -rf "$ROOT/home/$last"`,
  )
  instance.fake(
    'chpasswd',
    `${record}
[ "$1" = -e ] || { echo "chpasswd: expected -e" >&2; exit 2; }
while IFS=: read -r name hash; do
  N="$name" H="$hash" awk -F: -v OFS=: '$1 == ENVIRON["N"] { $2 = ENVIRON["H"] } { print }' "$ROOT/etc/shadow" > "$ROOT/etc/shadow.new"
  mv "$ROOT/etc/shadow.new" "$ROOT/etc/shadow"
done`,
  )
  instance.fake('pkill', record)
}

function run(instance: FakeInstance, list: string): Promise<RunResult> {
  return instance.run({ ...FakeInstance.bare(), POOL_ACCOUNTS: list }, [], {
    file: accountsScript,
  })
}

const passwdNames = (instance: FakeInstance) =>
  instance
    .read('etc/passwd')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(':')[0])

const shadowHash = (instance: FakeInstance, name: string) =>
  instance
    .read('etc/shadow')
    .split('\n')
    .find((line) => line.startsWith(`${name}:`))
    ?.split(':')[1]

function expectNoHashOnCommandLines(instance: FakeInstance, result: RunResult) {
  if (strace) expect(result.commandLines.length).toBeGreaterThan(5)
  for (const hash of [alanHash, kateHash]) {
    for (const line of [...result.commandLines, ...instance.calls()]) {
      expect(line).not.toContain(hash)
      // Not even the salt part: a hash is never split over arguments either.
      expect(line).not.toContain(hash.split('$')[3])
    }
  }
}

const slow = { timeout: 120_000 }

describe.skipIf(!runsAsRoot)(
  'resources/scripts/pool-accounts.sh (as root, as on an instance)',
  slow,
  () => {
    let instance: FakeInstance
    beforeEach(() => {
      instance = new FakeInstance()
      accountTools(instance)
    })
    afterEach(() => instance.remove())

    it('makes each account with its password hash and SSH key, no hash on any command line', async () => {
      const result = await run(
        instance,
        accountsList(['alan', alanHash, alanKey], ['kate', kateHash, kateKey]),
      )
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
      expect(passwdNames(instance)).toEqual(expect.arrayContaining(['alan', 'kate']))
      expect(shadowHash(instance, 'alan')).toBe(alanHash)
      expect(shadowHash(instance, 'kate')).toBe(kateHash)
      expect(instance.calls()).toContain('chpasswd -e')

      const keys = join(instance.root, 'home/alan/.ssh/authorized_keys')
      expect(readFileSync(keys, 'utf8')).toBe(`${alanKey}\n`)
      const alanUid = statSync(join(instance.root, 'home/alan')).uid
      expect(statSync(keys).uid).toBe(alanUid)
      expect(mode(keys)).toBe(0o600)
      expect(mode(join(instance.root, 'home/alan/.ssh'))).toBe(0o700)

      const state = join(instance.root, 'var/lib/dsvm-pool/accounts')
      expect(readFileSync(state, 'utf8')).toBe('alan\nkate\n')
      expect(mode(state)).toBe(0o600)
      expect(readFileSync(state, 'utf8')).not.toContain('$6$')
      expectNoHashOnCommandLines(instance, result)
    })

    it('changes nothing when run again with the same list', async () => {
      const list = accountsList(['alan', alanHash, alanKey])
      expect((await run(instance, list)).status).toBe(0)
      instance.clearCalls()
      const again = await run(instance, list)
      expect(again.status).toBe(0)
      expect(again.stderr).toBe('')
      expect(instance.calls()).toEqual([])
      expect(passwdNames(instance).filter((n) => n === 'alan')).toHaveLength(1)
    })

    it('sets a changed password and key, and removes an account taken off the list', async () => {
      expect(
        (
          await run(
            instance,
            accountsList(['alan', alanHash, alanKey], ['kate', kateHash, kateKey]),
          )
        ).status,
      ).toBe(0)
      instance.clearCalls()
      const result = await run(instance, accountsList(['alan', kateHash, kateKey]))
      expect(result.status).toBe(0)
      expect(shadowHash(instance, 'alan')).toBe(kateHash)
      expect(instance.read('home/alan/.ssh/authorized_keys')).toBe(`${kateKey}\n`)
      expect(passwdNames(instance)).not.toContain('kate')
      expect(instance.exists('home/kate')).toBe(false)
      expect(instance.calls()).toEqual(
        expect.arrayContaining(['pkill -KILL -u kate', 'userdel --force --remove -- kate']),
      )
      expect(instance.read('var/lib/dsvm-pool/accounts')).toBe('alan\n')
      expectNoHashOnCommandLines(instance, result)

      // An empty list removes every pool account, and only those.
      const empty = await run(instance, '')
      expect(empty.status).toBe(0)
      expect(passwdNames(instance)).not.toContain('alan')
      expect(passwdNames(instance)).toEqual(
        expect.arrayContaining(['root', 'dsvmadmin', 'ada', 'grace']),
      )
    })

    it('never takes over or removes an account it did not make', async () => {
      const result = await run(instance, accountsList(['dsvmadmin', alanHash, alanKey]))
      expect(result.status).toBe(0)
      expect(result.stderr).toMatch(
        /dsvmadmin is an account of the instance that this script did not make/,
      )
      expect(shadowHash(instance, 'dsvmadmin')).toBeUndefined()
      expect(instance.exists('home/dsvmadmin/.ssh/authorized_keys')).toBe(false)
      expect(instance.calls()).toEqual([])
      expect((await run(instance, '')).status).toBe(0)
      expect(passwdNames(instance)).toContain('dsvmadmin')
    })

    it('refuses a symbolic link for a home or its .ssh, and still serves everyone else', async () => {
      const etc = join(instance.root, 'etc')
      symlinkSync(etc, join(instance.root, 'home/kate'))
      const result = await run(
        instance,
        accountsList(['kate', kateHash, kateKey], ['alan', alanHash, alanKey]),
      )
      expect(result.status).toBe(0)
      expect(result.stderr).toMatch(/the home of kate \(\/home\/kate\) is a symbolic link/)
      expect(passwdNames(instance)).not.toContain('kate')
      expect(instance.exists('etc/.ssh')).toBe(false)
      expect(readFileSync(join(instance.root, 'home/alan/.ssh/authorized_keys'), 'utf8')).toBe(
        `${alanKey}\n`,
      )

      // alan swaps ~/.ssh for a link to /etc: his next key is not written through it.
      const ssh = join(instance.root, 'home/alan/.ssh')
      instance.clearCalls()
      rmSync(ssh, { recursive: true })
      symlinkSync(etc, ssh)
      const second = await run(instance, accountsList(['alan', alanHash, kateKey]))
      expect(second.status).toBe(0)
      expect(second.stderr).toMatch(/\/home\/alan\/.ssh of alan is a symbolic link/)
      expect(instance.exists('etc/authorized_keys')).toBe(false)
      expect(lstatSync(ssh).isSymbolicLink()).toBe(true)
    })

    it('skips entries that are not a name, a $6$ hash and a public key', async () => {
      const result = await run(
        instance,
        accountsList(
          ['Bad Name', alanHash, alanKey],
          ['alan', 'plaintext-password', alanKey],
          ['kate', kateHash, 'not a key'],
        ),
      )
      expect(result.status).toBe(0)
      expect(result.stderr.match(/is not <name> <\$6\$ hash> <public key>: skipped/g)).toHaveLength(
        3,
      )
      expect(result.stderr).not.toContain('plaintext-password')
      expect(passwdNames(instance)).not.toContain('alan')
      expect(passwdNames(instance)).not.toContain('kate')
    })

    it('gives each new account its folder on the share through mount-share.sh, which runs next', async () => {
      expect((await run(instance, accountsList(['alan', alanHash, alanKey]))).status).toBe(0)
      expect((await instance.run()).status).toBe(0)
      const uid = statSync(join(instance.root, 'home/alan')).uid
      const link = join(instance.root, 'home/alan/notebooks/remote')
      expect(readlinkSync(link)).toBe('/mnt/dsvmshare/notebooks/alan')
      expect(lstatSync(link).uid).toBe(uid)
      const own = instance
        .calls()
        .find(
          (c) =>
            c.startsWith('mount -t cifs ') && c.split(' ')[4] === '/mnt/dsvmshare/notebooks/alan',
        )
      expect(own).toContain(`uid=${uid},gid=${uid}`)
      expect(own).toContain('dir_mode=0700,file_mode=0600')
    })
  },
)
