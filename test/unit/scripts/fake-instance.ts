import { spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const mountScriptPath = resolve(__dirname, '../../../resources/scripts/mount-share.sh')
export const testKey = 'c2VjcmV0LWtleS1mb3ItdGVzdHM+/x=='

export const strace = spawnSync('strace', ['-V']).status === 0
export const runsAsRoot = process.getuid?.() === 0

/** Users of the fake instance's /etc/passwd with a home under /home. */
export const poolUsers = [
  { name: 'dsvmadmin', uid: 1000 },
  { name: 'ada', uid: 1001 },
  { name: 'grace', uid: 1002 },
] as const

export interface RunResult {
  status: number | null
  stdout: string
  stderr: string
  /** Every command line the run spawned (strace), or [] without strace. */
  commandLines: string[]
}

/**
 * Runs the Linux mount script against a temporary root. Stand-ins on PATH record how they
 * were called: `mount`/`umount`/`mountpoint` (keeping which directories are "mounted"),
 * `iptables`, `systemctl` and `apt-get`. Every other command is the real one. With strace,
 * every command line the script spawns is recorded too.
 */
export class FakeInstance {
  readonly dir = mkdtempSync(join(tmpdir(), 'mount-share-'))
  readonly root = join(this.dir, 'root')
  readonly bin = join(this.dir, 'bin')
  readonly log = join(this.dir, 'calls.log')
  readonly mounted = join(this.dir, 'mounted')
  readonly firewall = join(this.dir, 'iptables')

  constructor() {
    // Users' steps run as those users: they must be able to reach their homes in here.
    chmodSync(this.dir, 0o755)
    mkdirSync(join(this.root, 'etc'), { recursive: true })
    mkdirSync(join(this.root, 'usr/sbin'), { recursive: true })
    mkdirSync(this.bin)
    writeFileSync(this.log, '')
    writeFileSync(this.mounted, '')
    writeFileSync(this.firewall, '')
    const record = `printf '%s\\n' "$(basename "$0") $*" >> "${this.log}"`
    this.fake(
      'mount',
      `${record}\n[ "\${FAKE_MOUNT_STATUS:-0}" = 0 ] || exit "$FAKE_MOUNT_STATUS"\nprintf '%s\\n' "$ROOT$4" >> "${this.mounted}"`,
    )
    this.fake(
      'umount',
      `${record}\nfor last; do :; done\ngrep -vxF -- "$last" "${this.mounted}" > "${this.mounted}.new"; mv "${this.mounted}.new" "${this.mounted}"`,
    )
    this.fake('mountpoint', `for last; do :; done\ngrep -qxF -- "$last" "${this.mounted}"`)
    this.fake(
      'iptables',
      `${record}\ncase "$2" in -C) grep -qxF -- "\${*:3}" "${this.firewall}" ;; -I) printf '%s\\n' "\${*:3}" >> "${this.firewall}" ;; esac`,
    )
    this.fake('systemctl', record)
    this.fake('apt-get', record)
    this.file('etc/fstab', 'UUID=abcd / ext4 defaults 0 1\n')
    this.file(
      'etc/passwd',
      [
        'root:x:0:0:root:/root:/bin/bash',
        'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
        ...poolUsers.map((u) => `${u.name}:x:${u.uid}:${u.uid}::/home/${u.name}:/bin/bash`),
        'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
      ].join('\n') + '\n',
    )
    for (const user of poolUsers) {
      const home = join(this.root, 'home', user.name)
      mkdirSync(home, { recursive: true })
      chmodSync(home, 0o750)
      if (runsAsRoot) chownSync(home, user.uid, user.uid)
    }
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

  exists(path: string) {
    return existsSync(join(this.root, path))
  }

  /** Calls of the stand-ins, one line each (`mount -t cifs ...`). */
  calls() {
    return readFileSync(this.log, 'utf8').split('\n').filter(Boolean)
  }

  clearCalls() {
    writeFileSync(this.log, '')
  }

  /** Directories the stand-in `mount` has mounted, relative to the root. */
  mounts() {
    return readFileSync(this.mounted, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((path) => path.slice(this.root.length))
  }

  /** Runs the script as the Custom Script extension (or, with DSVM_POOL_TIMER=1, the timer) would. */
  run(
    env: Record<string, string | undefined> = {},
    args: string[] = [],
    { shell = 'bash', file = mountScriptPath }: { shell?: string; file?: string } = {},
  ): Promise<RunResult> {
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
    const trace = join(this.dir, `trace-${Date.now()}-${Math.random().toString(36).slice(2)}`)
    const [command, commandArgs] = strace
      ? ['strace', ['-f', '-qq', '-e', 'trace=execve', '-s', '65536', '-o', trace, shell, file]]
      : [shell, [file]]
    const child = spawn(command, [...commandArgs, ...args], { env: merged })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    return new Promise((resolvePromise, reject) => {
      child.on('error', reject)
      child.on('close', (status) => {
        const commandLines = strace
          ? readFileSync(trace, 'utf8')
              .split('\n')
              .filter((line) => line.includes('execve('))
          : []
        resolvePromise({ status, stdout, stderr, commandLines })
      })
    })
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
