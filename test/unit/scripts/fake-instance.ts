import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const mountScriptPath = resolve(__dirname, '../../../resources/scripts/mount-share.sh')
export const testKey = 'c2VjcmV0LWtleS1mb3ItdGVzdHM+/x=='

/**
 * Runs the Linux mount script against a temporary root, with fake `mount`, `mountpoint`,
 * `systemctl` and `apt-get` on PATH that record how they were called.
 */
export class FakeInstance {
  readonly dir = mkdtempSync(join(tmpdir(), 'mount-share-'))
  readonly root = join(this.dir, 'root')
  readonly bin = join(this.dir, 'bin')
  readonly log = join(this.dir, 'calls.log')

  constructor() {
    mkdirSync(join(this.root, 'etc'), { recursive: true })
    mkdirSync(join(this.root, 'usr/sbin'), { recursive: true })
    mkdirSync(this.bin)
    writeFileSync(this.log, '')
    this.fake('mount', `echo "mount $*" >> "${this.log}"; exit \${FAKE_MOUNT_STATUS:-0}`)
    this.fake('mountpoint', `echo "mountpoint $*" >> "${this.log}"; exit \${FAKE_MOUNTED:-1}`)
    this.fake('systemctl', `echo "systemctl $*" >> "${this.log}"`)
    this.fake('apt-get', `echo "apt-get $*" >> "${this.log}"`)
    this.file('etc/fstab', 'UUID=abcd / ext4 defaults 0 1\n')
    this.file(
      'etc/passwd',
      [
        'root:x:0:0:root:/root:/bin/bash',
        'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
        'ada:x:1001:1001::/home/ada:/bin/bash',
        'grace:x:1002:1002::/home/grace:/bin/bash',
        'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
      ].join('\n') + '\n',
    )
  }

  fake(name: string, body: string) {
    const path = join(this.bin, name)
    writeFileSync(path, `#!/bin/bash\n${body}\n`)
    chmodSync(path, 0o755)
  }

  file(path: string, text: string) {
    writeFileSync(join(this.root, path), text)
  }

  read(path: string) {
    return readFileSync(join(this.root, path), 'utf8')
  }

  calls() {
    return readFileSync(this.log, 'utf8').trim().split('\n').filter(Boolean)
  }

  /** Runs the mount script (or another script text through `sh`) as the instance would. */
  run(
    env: Record<string, string | undefined> = {},
    args: string[] = [],
    shell = 'bash',
    file = mountScriptPath,
  ) {
    const merged: Record<string, string> = {
      PATH: `${this.bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      ROOT: this.root,
      STORAGE_ACCOUNT_NAME: 'teampoolfiles',
      STORAGE_ACCOUNT_KEY: testKey,
      SHARE_NAME: 'notebooks',
      STORAGE_SUFFIX: 'core.windows.net',
      MOUNT_POINT: '/mnt/dsvmshare',
      ADMIN_USERNAME: 'dsvmadmin',
    }
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete merged[name]
      else merged[name] = value
    }
    return spawnSync(shell, [file, ...args], { env: merged, encoding: 'utf8' })
  }

  /** Environment without the values the template's prelude sets itself. */
  static bare(): Record<string, undefined> {
    return {
      STORAGE_ACCOUNT_NAME: undefined,
      STORAGE_ACCOUNT_KEY: undefined,
      SHARE_NAME: undefined,
      STORAGE_SUFFIX: undefined,
      MOUNT_POINT: undefined,
      ADMIN_USERNAME: undefined,
    }
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
