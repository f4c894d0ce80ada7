import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeInstance, mountScriptPath as script, testKey as key } from './fake-instance'

describe('resources/scripts/mount-share.sh', () => {
  let instance: FakeInstance
  beforeEach(() => {
    instance = new FakeInstance()
  })
  afterEach(() => instance.remove())

  it('adds one persistent fstab entry that does not block boot, next to the existing ones', () => {
    const result = instance.run()
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const lines = instance.read('etc/fstab').trim().split('\n')
    expect(lines[0]).toBe('UUID=abcd / ext4 defaults 0 1')
    expect(lines).toHaveLength(2)
    const [device, mountPoint, type, options] = lines[1]!.split(/\s+/)
    expect(device).toBe('//teampoolfiles.file.core.windows.net/notebooks')
    expect(mountPoint).toBe('/mnt/dsvmshare')
    expect(type).toBe('cifs')
    const list = options!.split(',')
    expect(list).toEqual(expect.arrayContaining(['nofail', '_netdev', 'vers=3.1.1']))
    expect(list).toContain('credentials=/etc/smbcredentials/teampoolfiles.cred')
    expect(instance.read('etc/fstab')).not.toContain(key)
  })

  it('keeps the key only in a root-only credentials file', () => {
    instance.run()
    const credentials = join(instance.root, 'etc/smbcredentials/teampoolfiles.cred')
    expect(readFileSync(credentials, 'utf8')).toBe(`username=teampoolfiles\npassword=${key}\n`)
    const stat = statSync(credentials)
    expect(stat.mode & 0o777).toBe(0o600)
    expect(stat.uid).toBe(process.getuid!())
    if (process.getuid!() === 0) expect(stat.gid).toBe(0)
    expect(statSync(join(instance.root, 'etc/smbcredentials')).mode & 0o777).toBe(0o700)
  })

  it('mounts through fstab after reloading systemd, and installs cifs-utils when missing', () => {
    instance.run()
    const mountPoint = join(instance.root, 'mnt/dsvmshare')
    expect(existsSync(mountPoint)).toBe(true)
    expect(instance.calls()).toEqual([
      'apt-get install -y -q cifs-utils',
      'systemctl daemon-reload',
      `mountpoint -q ${mountPoint}`,
      `mount --fstab ${join(instance.root, 'etc/fstab')} /mnt/dsvmshare`,
    ])
  })

  it('gives every user and the administrator notebooks/<user> on the share at ~/notebooks/remote', () => {
    instance.run()
    for (const user of ['ada', 'grace', 'dsvmadmin']) {
      const link = join(instance.root, 'home', user, 'notebooks/remote')
      expect(lstatSync(link).isSymbolicLink()).toBe(true)
      expect(readlinkSync(link)).toBe(`/mnt/dsvmshare/notebooks/${user}`)
      expect(existsSync(join(instance.root, 'mnt/dsvmshare/notebooks', user))).toBe(true)
    }
    expect(existsSync(join(instance.root, 'home/nobody'))).toBe(false)
    expect(existsSync(join(instance.root, 'home/daemon'))).toBe(false)
    const hook = instance.read('etc/profile.d/dsvm-pool-share.sh')
    expect(hook).toContain('/mnt/dsvmshare/notebooks/$(id -un)')
    expect(hook).toContain('$HOME/notebooks/remote')
  })

  it('changes nothing more when run again (idempotent)', () => {
    expect(instance.run().status).toBe(0)
    const fstab = instance.read('etc/fstab')
    const firstCalls = instance.calls()
    instance.fake('mount.cifs', 'exit 0')
    writeFileSync(instance.log, '')
    expect(instance.run({ FAKE_MOUNTED: '0' }).status).toBe(0)
    expect(instance.read('etc/fstab')).toBe(fstab)
    expect(firstCalls).toContain('apt-get install -y -q cifs-utils')
    // Already mounted: no second mount.
    expect(instance.calls().some((c) => c.startsWith('mount '))).toBe(false)
    const link = join(instance.root, 'home/ada/notebooks/remote')
    expect(readlinkSync(link)).toBe('/mnt/dsvmshare/notebooks/ada')
  })

  it('replaces an older entry for the same mount point instead of adding a second one', () => {
    instance.file(
      'etc/fstab',
      'UUID=abcd / ext4 defaults 0 1\n//old.file.core.windows.net/x /mnt/dsvmshare cifs nofail 0 0\n',
    )
    instance.run()
    const lines = instance.read('etc/fstab').trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/^\/\/teampoolfiles\.file\.core\.windows\.net\/notebooks /)
  })

  it('keeps the fstab entry and links when the share cannot be mounted now (port 445 blocked)', () => {
    const result = instance.run({ FAKE_MOUNT_STATUS: '32' })
    expect(result.status).toBe(0)
    expect(result.stderr).toMatch(/could not be mounted now/)
    expect(instance.read('etc/fstab')).toContain('//teampoolfiles.file.core.windows.net/notebooks')
    expect(readlinkSync(join(instance.root, 'home/ada/notebooks/remote'))).toBe(
      '/mnt/dsvmshare/notebooks/ada',
    )
    // Nothing is written into the empty local mount point directory.
    expect(existsSync(join(instance.root, 'mnt/dsvmshare/notebooks'))).toBe(false)
  })

  it('takes the key from the environment only: arguments are ignored and a missing key fails', () => {
    const result = instance.run({ STORAGE_ACCOUNT_KEY: undefined }, [key])
    expect(result.status).not.toBe(0)
    expect(result.stderr).toMatch(/STORAGE_ACCOUNT_KEY is not set/)
    expect(existsSync(join(instance.root, 'etc/smbcredentials'))).toBe(false)
    expect(instance.read('etc/fstab')).toBe('UUID=abcd / ext4 defaults 0 1\n')
  })

  it('refuses names that could break out of fstab or the shell', () => {
    for (const env of [
      { SHARE_NAME: 'notebooks /etc cifs' },
      { STORAGE_ACCOUNT_NAME: 'Bad_Name' },
      { MOUNT_POINT: 'relative/path' },
    ]) {
      const result = instance.run(env)
      expect(result.status, JSON.stringify(env)).not.toBe(0)
    }
    expect(instance.read('etc/fstab')).toBe('UUID=abcd / ext4 defaults 0 1\n')
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
