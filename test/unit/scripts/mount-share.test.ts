import { spawnSync } from 'node:child_process'
import { lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  FakeInstance,
  mountScriptPath as script,
  poolUsers,
  runsAsRoot,
  strace,
  testKey as key,
  type RunResult,
} from './fake-instance'
import { IdentityStandIn } from './identity-stand-in'

const mode = (path: string) => statSync(path).mode & 0o777
const cifsOptions = (call: string) =>
  Object.fromEntries(
    call
      .split(' -o ')[1]!
      .split(',')
      .map((option) => option.split('=') as [string, string?]),
  )
const mountCall = (calls: string[], localDir: string) =>
  calls.find((c) => c.startsWith('mount -t cifs ') && c.split(' ')[4] === localDir)

/** Every command line the run spawned, and every stand-in call, holds none of the secrets. */
function expectNoSecretOnCommandLines(
  instance: FakeInstance,
  result: RunResult,
  secrets: string[],
) {
  if (strace) expect(result.commandLines.length).toBeGreaterThan(10)
  for (const secret of secrets) {
    for (const line of [...result.commandLines, ...instance.calls()])
      expect(line).not.toContain(secret)
  }
}

// Each run spawns dozens of processes (under strace): generous limits for a loaded machine.
const slow = { timeout: 120_000 }

describe.skipIf(!runsAsRoot)(
  'resources/scripts/mount-share.sh (as root, as on an instance)',
  slow,
  () => {
    let instance: FakeInstance
    beforeEach(() => {
      instance = new FakeInstance()
    })
    afterEach(() => instance.remove())

    it('keeps the key given in protected settings only in a root-only credentials file', async () => {
      const result = await instance.run()
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
      const credentials = join(instance.root, 'etc/smbcredentials/teampoolfiles.cred')
      expect(readFileSync(credentials, 'utf8')).toBe(`username=teampoolfiles\npassword=${key}\n`)
      expect(mode(credentials)).toBe(0o600)
      expect(statSync(credentials).uid).toBe(0)
      expect(statSync(credentials).gid).toBe(0)
      expect(mode(join(instance.root, 'etc/smbcredentials'))).toBe(0o700)
      expectNoSecretOnCommandLines(instance, result, [key])
      for (const file of [
        'etc/fstab',
        'etc/dsvm-pool/share.env',
        'etc/systemd/system/dsvm-pool-share.service',
      ])
        expect(instance.read(file)).not.toContain(key)
    })

    it('mounts the share for root only, the team folder for everyone, and each user their own folder', async () => {
      expect((await instance.run()).status).toBe(0)
      const calls = instance.calls()
      const whole = mountCall(calls, '/var/lib/dsvm-pool/share')!
      expect(whole.split(' ')[3]).toBe('//teampoolfiles.file.core.windows.net/notebooks')
      expect(cifsOptions(whole)).toMatchObject({
        credentials: '/etc/smbcredentials/teampoolfiles.cred',
        vers: '3.1.1',
        uid: '0',
        gid: '0',
        dir_mode: '0700',
        file_mode: '0600',
      })
      expect(mode(join(instance.root, 'var/lib/dsvm-pool'))).toBe(0o700)

      const team = mountCall(calls, '/mnt/dsvmshare/team')!
      expect(team.split(' ')[3]).toBe('//teampoolfiles.file.core.windows.net/notebooks/team')
      expect(cifsOptions(team)).toMatchObject({ dir_mode: '0777', file_mode: '0666' })

      for (const user of poolUsers) {
        const own = mountCall(calls, `/mnt/dsvmshare/notebooks/${user.name}`)!
        expect(own.split(' ')[3]).toBe(
          `//teampoolfiles.file.core.windows.net/notebooks/notebooks/${user.name}`,
        )
        // Theirs alone: the kernel refuses every other user (the share holds one key for all).
        expect(cifsOptions(own)).toMatchObject({
          uid: String(user.uid),
          gid: String(user.uid),
          forceuid: undefined,
          dir_mode: '0700',
          file_mode: '0600',
        })
        expect(instance.exists(`var/lib/dsvm-pool/share/notebooks/${user.name}`)).toBe(true)
      }
      expect(calls.filter((c) => c.startsWith('mount '))).toHaveLength(2 + poolUsers.length)
      expect(mode(join(instance.root, 'mnt/dsvmshare'))).toBe(0o755)
      expect(mode(join(instance.root, 'mnt/dsvmshare/notebooks'))).toBe(0o755)
    })

    it('links ~/notebooks/remote to the user’s folder, made as that user', async () => {
      expect((await instance.run()).status).toBe(0)
      for (const user of poolUsers) {
        const link = join(instance.root, 'home', user.name, 'notebooks/remote')
        expect(readlinkSync(link)).toBe(`/mnt/dsvmshare/notebooks/${user.name}`)
        expect(lstatSync(link).uid).toBe(user.uid)
        expect(statSync(join(instance.root, 'home', user.name, 'notebooks')).uid).toBe(user.uid)
      }
    })

    it('refuses the ~/notebooks -> /etc attack and symlinked homes, and still serves everyone else', async () => {
      const etc = join(instance.root, 'etc')
      // ada turns ~/notebooks into a link to /etc; grace's home is a link to /etc.
      symlinkSync(etc, join(instance.root, 'home/ada/notebooks'))
      spawnSync('rm', ['-rf', join(instance.root, 'home/grace')])
      symlinkSync(etc, join(instance.root, 'home/grace'))
      const before = statSync(etc)

      const result = await instance.run()
      expect(result.status).toBe(0)
      expect(result.stderr).toMatch(/\/home\/ada\/notebooks of ada is a symbolic link: not linking/)
      expect(result.stderr).toMatch(/the home of grace \(\/home\/grace\) is a symbolic link/)
      expect(instance.exists('etc/remote')).toBe(false)
      expect(instance.exists('etc/notebooks')).toBe(false)
      const after = statSync(etc)
      expect([after.uid, after.gid, after.mode]).toEqual([before.uid, before.gid, before.mode])
      // dsvmadmin is not held up by the others.
      expect(readlinkSync(join(instance.root, 'home/dsvmadmin/notebooks/remote'))).toBe(
        '/mnt/dsvmshare/notebooks/dsvmadmin',
      )
    })

    it('does nothing in a home that is not the user’s own', async () => {
      spawnSync('chown', ['1002:1002', join(instance.root, 'home/ada')])
      const result = await instance.run()
      expect(result.stderr).toMatch(/the home of ada \(\/home\/ada\) is not theirs/)
      expect(instance.exists('home/ada/notebooks')).toBe(false)
    })

    it('installs a timer that keeps the share mounted after reboots, with a configuration holding no secret', async () => {
      expect((await instance.run()).status).toBe(0)
      const config = join(instance.root, 'etc/dsvm-pool/share.env')
      expect(mode(config)).toBe(0o644)
      expect(instance.read('etc/dsvm-pool/share.env')).toBe(
        'STORAGE_ACCOUNT_NAME=teampoolfiles\nSHARE_NAME=notebooks\nSTORAGE_SUFFIX=core.windows.net\nMOUNT_POINT=/mnt/dsvmshare\nKEY_SOURCE=settings\n',
      )
      const installed = join(instance.root, 'usr/local/lib/dsvm-pool/mount-share.sh')
      expect(readFileSync(installed, 'utf8')).toBe(readFileSync(script, 'utf8'))
      expect(mode(installed)).toBe(0o755)
      const service = instance.read('etc/systemd/system/dsvm-pool-share.service')
      expect(service).toContain('EnvironmentFile=/etc/dsvm-pool/share.env')
      expect(service).toContain('ExecStart=/bin/bash /usr/local/lib/dsvm-pool/mount-share.sh')
      expect(service).toContain('After=network-online.target')
      const timer = instance.read('etc/systemd/system/dsvm-pool-share.timer')
      expect(timer).toMatch(/OnBootSec=/)
      expect(timer).toContain('OnUnitActiveSec=1min')
      expect(mode(join(instance.root, 'etc/systemd/system/dsvm-pool-share.timer'))).toBe(0o644)
      const calls = instance.calls()
      expect(calls).toContain('apt-get install -y -q cifs-utils')
      expect(calls).toContain('systemctl enable dsvm-pool-share.service')
      expect(calls).toContain('systemctl enable --now dsvm-pool-share.timer')
      expect(service).toContain('Before=jupyterhub.service')
      expect(service).toContain('WantedBy=multi-user.target')
    })

    it('removes the fstab line of earlier versions and keeps every other line', async () => {
      instance.file(
        'etc/fstab',
        'UUID=abcd / ext4 defaults 0 1\n//teampoolfiles.file.core.windows.net/notebooks /mnt/dsvmshare cifs nofail,credentials=/etc/smbcredentials/teampoolfiles.cred 0 0 # dsvm-pool share\n',
      )
      expect((await instance.run()).status).toBe(0)
      expect(instance.read('etc/fstab')).toBe('UUID=abcd / ext4 defaults 0 1\n')
    })

    it('changes nothing when run again: no second mount, same files', async () => {
      expect((await instance.run()).status).toBe(0)
      const credentials = instance.read('etc/smbcredentials/teampoolfiles.cred')
      instance.fake('mount.cifs', 'exit 0')
      instance.clearCalls()
      const again = await instance.run({ DSVM_POOL_TIMER: '1', STORAGE_ACCOUNT_KEY: undefined })
      expect(again.stderr).toBe('')
      expect(again.status).toBe(0)
      expect(instance.calls().filter((c) => /^u?mount /.test(c))).toEqual([])
      // The timer's runs skip the installation steps.
      expect(
        instance.calls().some((c) => c.startsWith('apt-get') || c.startsWith('systemctl')),
      ).toBe(false)
      expect(instance.read('etc/smbcredentials/teampoolfiles.cred')).toBe(credentials)
    })

    it('gives a user created later their folder at the next timer run', async () => {
      expect((await instance.run()).status).toBe(0)
      instance.file(
        'etc/passwd',
        instance.read('etc/passwd') + 'alan:x:1003:1003::/home/alan:/bin/bash\n',
      )
      mkdirSync(join(instance.root, 'home/alan'), { mode: 0o750 })
      spawnSync('chown', ['1003:1003', join(instance.root, 'home/alan')])
      instance.clearCalls()
      expect((await instance.run({ DSVM_POOL_TIMER: '1' })).status).toBe(0)
      expect(instance.calls().filter((c) => c.startsWith('mount '))).toHaveLength(1)
      expect(
        cifsOptions(mountCall(instance.calls(), '/mnt/dsvmshare/notebooks/alan')!),
      ).toMatchObject({
        uid: '1003',
        dir_mode: '0700',
      })
      expect(readlinkSync(join(instance.root, 'home/alan/notebooks/remote'))).toBe(
        '/mnt/dsvmshare/notebooks/alan',
      )
    })

    it('keeps going when port 445 is blocked, and writes nothing into the empty mount point', async () => {
      const result = await instance.run({ FAKE_MOUNT_STATUS: '32' })
      expect(result.status).toBe(0)
      expect(result.stderr).toMatch(
        /could not be mounted now \(is port 445 reachable\?\); trying again in a minute/,
      )
      expect(instance.exists('var/lib/dsvm-pool/share/notebooks')).toBe(false)
      expect(instance.exists('etc/systemd/system/dsvm-pool-share.timer')).toBe(true)
      expect(readlinkSync(join(instance.root, 'home/ada/notebooks/remote'))).toBe(
        '/mnt/dsvmshare/notebooks/ada',
      )
    })

    it('takes the key from the environment only: arguments are ignored and a missing key fails', async () => {
      const result = await instance.run({ STORAGE_ACCOUNT_KEY: undefined }, [key])
      expect(result.status).not.toBe(0)
      expect(result.stderr).toMatch(/STORAGE_ACCOUNT_KEY is not set/)
      expect(instance.exists('etc/smbcredentials')).toBe(false)
    })

    it('refuses names that could break out of a mount option or the shell', async () => {
      for (const env of [
        { SHARE_NAME: 'notebooks /etc cifs' },
        { STORAGE_ACCOUNT_NAME: 'Bad_Name' },
        { MOUNT_POINT: 'relative/path' },
        { MOUNT_POINT: '/mnt/../etc' },
        { STORAGE_SUFFIX: 'core.windows.net,uid=0' },
        { KEY_SOURCE: 'identity', IDENTITY_CLIENT_ID: 'x,y' },
      ]) {
        const result = await instance.run(env)
        expect(result.status, JSON.stringify(env)).not.toBe(0)
      }
      expect(instance.calls()).toEqual([])
      expect(instance.exists('etc/smbcredentials')).toBe(false)
    })
  },
)

describe.skipIf(!runsAsRoot)('mount-share.sh with the pool’s managed identity', slow, () => {
  let instance: FakeInstance
  let identity: IdentityStandIn
  beforeEach(async () => {
    instance = new FakeInstance()
    identity = new IdentityStandIn()
    await identity.start()
  })
  afterEach(async () => {
    instance.remove()
    await identity.stop()
  })

  it('gets the key at boot through the metadata service and listKeys, and no command line holds it', async () => {
    const result = await instance.run(identity.env)
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const [tokenRequest, listKeys] = identity.requests
    expect(tokenRequest!.method).toBe('GET')
    expect(tokenRequest!.headers.metadata).toBe('true')
    const query = new URL(tokenRequest!.url, identity.origin).searchParams
    expect(query.get('api-version')).toBe('2018-02-01')
    expect(query.get('resource')).toBe(`${identity.origin}/`)
    expect(query.get('client_id')).toBe(identity.env.IDENTITY_CLIENT_ID)
    expect(listKeys!.method).toBe('POST')
    expect(listKeys!.url).toBe(`${identity.env.STORAGE_ACCOUNT_ID}/listKeys?api-version=2023-05-01`)
    expect(listKeys!.headers.authorization).toBe(`Bearer ${identity.token}`)

    // Both keys are as new: key1 is used.
    expect(instance.read('etc/smbcredentials/teampoolfiles.cred')).toBe(
      `username=teampoolfiles\npassword=${identity.keys[0]!.value}\n`,
    )
    expectNoSecretOnCommandLines(instance, result, [
      identity.token,
      ...identity.keys.map((k) => k.value),
    ])
    const config = instance.read('etc/dsvm-pool/share.env')
    expect(config).toContain('KEY_SOURCE=identity')
    expect(config).toContain(`IDENTITY_CLIENT_ID=${identity.env.IDENTITY_CLIENT_ID}`)
    for (const secret of [identity.token, ...identity.keys.map((k) => k.value)])
      expect(config).not.toContain(secret)
  })

  it('lets only root reach the metadata service, so no user can use the identity', async () => {
    expect((await instance.run(identity.env)).status).toBe(0)
    const rule = 'OUTPUT -d 169.254.169.254 -p tcp --dport 80 -m owner ! --uid-owner 0 -j REJECT'
    expect(instance.calls()).toContain(`iptables -w -I ${rule}`)
    instance.clearCalls()
    expect((await instance.run({ ...identity.env, DSVM_POOL_TIMER: '1' })).status).toBe(0)
    // Checked at every run (it does not survive a reboot), added once.
    expect(instance.calls().filter((c) => c.startsWith('iptables'))).toEqual([
      `iptables -w -C ${rule}`,
    ])
  })

  it('picks up a rotated key at the next timer run and remounts every folder without a reboot', async () => {
    expect((await instance.run(identity.env)).status).toBe(0)
    const mounted = instance.mounts()
    expect(mounted).toHaveLength(2 + poolUsers.length)
    const rotated = identity.rotate(
      'bmV3LWtleS1hZnRlci1yb3RhdGlvbg==',
      '2026-03-01T10:00:00.0000000Z',
    )
    expect(rotated).toBe('key2')
    instance.clearCalls()

    const timerRun = await instance.run({ ...identity.env, DSVM_POOL_TIMER: '1' })
    expect(timerRun.status).toBe(0)
    expect(instance.read('etc/smbcredentials/teampoolfiles.cred')).toBe(
      'username=teampoolfiles\npassword=bmV3LWtleS1hZnRlci1yb3RhdGlvbg==\n',
    )
    const calls = instance.calls()
    for (const dir of mounted) {
      expect(calls).toContain(`umount -l ${join(instance.root, dir)}`)
      expect(mountCall(calls, dir)).toBeDefined()
    }
    expect(instance.mounts().sort()).toEqual([...mounted].sort())
    expectNoSecretOnCommandLines(instance, timerRun, [
      'bmV3LWtleS1hZnRlci1yb3RhdGlvbg==',
      identity.token,
    ])
  })

  it('keeps the key it has when the metadata service has no token, and tries again every minute without one', async () => {
    // 400: the identity is not (yet) on the instance. (curl retries 5xx answers with backoff.)
    identity.failWith = 400
    const first = await instance.run(identity.env)
    expect(first.status).toBe(0)
    expect(first.stderr).toMatch(/no storage key yet: the share is mounted as soon as there is one/)
    expect(instance.mounts()).toEqual([])
    expect(instance.exists('etc/systemd/system/dsvm-pool-share.timer')).toBe(true)

    identity.failWith = undefined
    expect((await instance.run(identity.env)).status).toBe(0)
    identity.failWith = 400
    const later = await instance.run({ ...identity.env, DSVM_POOL_TIMER: '1' })
    expect(later.status).toBe(0)
    expect(later.stderr).toMatch(/keeping the key the instance already has/)
  })
})

describe('shellcheck', () => {
  const available = spawnSync('shellcheck', ['--version']).status === 0
  const inCi = process.env.CI === 'true'

  it.skipIf(!available && !inCi)(
    `finds nothing in the instance scripts${available ? '' : ' (skipped: shellcheck is not installed; apt-get install -y shellcheck)'}`,
    () => {
      expect(
        available,
        'shellcheck is not installed: CI must install it (apt-get install -y shellcheck)',
      ).toBe(true)
      const result = spawnSync('shellcheck', ['--severity=style', script], { encoding: 'utf8' })
      expect(result.stdout + result.stderr).toBe('')
      expect(result.status).toBe(0)
    },
  )
})

describe('command-line recording', () => {
  it.skipIf(!strace && process.env.CI !== 'true')(
    `records every command the script spawns${strace ? '' : ' (skipped: strace is not installed)'}`,
    () => {
      expect(
        strace,
        'strace is not installed: CI must install it (apt-get install -y strace)',
      ).toBe(true)
    },
  )
})
