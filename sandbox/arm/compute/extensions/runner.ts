import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { InstanceScript } from './instance-scripts'

/**
 * Runs one of the project's instance scripts the way an instance's Custom Script extension
 * would, in a temporary root (ROOT, which the scripts honour) with stand-ins for what only an
 * instance has: `mount`/`umount`/`mountpoint` (a CIFS mount asks the sandbox whether the
 * account, share and key in the credentials file are right, as the Files service would
 * answer), the account tools (`useradd`, `userdel`, `chpasswd`, `pkill`), `systemctl`,
 * `apt-get`, `iptables`, the metadata service (the sandbox's managed-identity endpoint) and
 * the image's JupyterHub (its unit and environment). Every other command is the computer's
 * own.
 */

export interface ScriptRun {
  exitCode: number
  stdout: string
  stderr: string
}

export interface RunContext {
  /** The sandbox's CIFS check: `POST <url>` (header X-Sandbox-Unc: //host/share), the credentials file as body. */
  cifsCheckUrl: string
  /** A token that proves a stand-in's call comes from this run. */
  cifsCheckToken: string
  identityEndpoint: string
  caCert: string
  adminUsername: string
}

const timeoutMs = 120_000
const outputLimit = 64 * 1024

/** Whether this computer can run the Linux instance scripts (bash, curl, Linux). */
export function canRunInstanceScripts(): boolean {
  return process.platform === 'linux'
}

export function runInstanceScript(
  scripts: InstanceScript[],
  env: Record<string, string>,
  context: RunContext,
): Promise<ScriptRun> {
  const dir = mkdtempSync(join(tmpdir(), 'dsvm-sandbox-extension-'))
  const root = join(dir, 'root')
  const bin = join(dir, 'bin')
  const mounted = join(dir, 'mounted')
  const ca = join(dir, 'ca.pem')
  const token = join(dir, 'cifs-token')
  for (const path of ['etc', 'sbin', 'usr/sbin', 'home', 'mnt', 'var/lib'])
    mkdirSync(join(root, path), { recursive: true })
  mkdirSync(join(root, 'home', context.adminUsername), { recursive: true })
  mkdirSync(bin)
  // Pool accounts' steps run as those users (setpriv): they may pass through the run's
  // folder to their homes, but not list it, and /etc (the emulated shadow file) is root's.
  chmodSync(dir, 0o711)
  chmodSync(join(root, 'etc'), 0o700)
  writeFileSync(
    join(root, 'etc/passwd'),
    `root:x:0:0:root:/root:/bin/bash\n${context.adminUsername}:x:1000:1000::/home/${context.adminUsername}:/bin/bash\n`,
  )
  writeFileSync(join(root, 'etc/group'), `root:x:0:\n${context.adminUsername}:x:1000:\n`)
  writeFileSync(join(root, 'etc/fstab'), 'UUID=sandbox / ext4 defaults 0 1\n')
  // The Data Science VM image has cifs-utils.
  writeFileSync(join(root, 'sbin/mount.cifs'), '#!/bin/sh\nexit 0\n', { mode: 0o755 })
  dsvmJupyterHub(root)
  writeFileSync(mounted, '')
  writeFileSync(ca, context.caCert)
  // A header file: curl reads it, so the token is on no command line.
  writeFileSync(token, `X-Sandbox-Check: ${context.cifsCheckToken}\n`, { mode: 0o600 })
  const scriptFiles = scripts.map((script) => {
    const file = join(dir, script.name)
    writeFileSync(file, script.text, { mode: 0o700 })
    return file
  })
  const standIns = standInScripts({ root, mounted, ca, token, url: context.cifsCheckUrl })
  for (const [name, body] of Object.entries(standIns)) {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`)
    chmodSync(join(bin, name), 0o755)
  }

  return new Promise((resolve) => {
    // One after the other, as the template's wrapper runs them: a failure ends the run, except
    // JupyterHub's part, after which the share is still mounted; its failure is then the
    // run's status only when everything else succeeded.
    const sequence = [
      'status=0',
      'for script; do',
      '  /bin/bash "$script" </dev/null; code=$?',
      '  case "$script" in',
      '    */jupyterhub-entra.sh) [ "$status" -ne 0 ] || status=$code ;;',
      '    *) [ "$code" -eq 0 ] || exit "$code" ;;',
      '  esac',
      'done',
      'exit "$status"',
    ].join('\n')
    const child = spawn('/bin/bash', ['-c', sequence, 'extension', ...scriptFiles], {
      cwd: dir,
      env: {
        PATH: `${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
        HOME: join(root, 'root'),
        LANG: 'C.UTF-8',
        ...env,
        // Always the temporary root, whatever the wrapper exported.
        ROOT: root,
        IDENTITY_ENDPOINT: context.identityEndpoint,
        CURL_CA_BUNDLE: ca,
        SSL_CERT_FILE: ca,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on(
      'data',
      (c: Buffer) => (stdout = (stdout + c.toString('utf8')).slice(-outputLimit)),
    )
    child.stderr.on(
      'data',
      (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-outputLimit)),
    )
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    const done = (exitCode: number) => {
      clearTimeout(timer)
      rmSync(dir, { recursive: true, force: true })
      resolve({ exitCode, stdout, stderr })
    }
    child.on('error', (error) => {
      stderr += `\n${error.message}`
      done(127)
    })
    child.on('close', (code, signal) => done(code ?? (signal ? 137 : 1)))
  })
}

/**
 * The Data Science VM image's JupyterHub as far as jupyterhub-entra.sh looks at it: its
 * systemd unit, the conda environment it runs from, and oauthenticator in it. Its Python runs
 * the computer's python3 (for the sign-in settings it writes).
 */
function dsvmJupyterHub(root: string) {
  const env = '/anaconda/envs/py310/bin'
  mkdirSync(join(root, 'lib/systemd/system'), { recursive: true })
  mkdirSync(join(root, env), { recursive: true })
  writeFileSync(
    join(root, 'lib/systemd/system/jupyterhub.service'),
    `[Unit]\nDescription=JupyterHub\n\n[Service]\nWorkingDirectory=/etc/jupyterhub\nExecStart=${env}/jupyterhub -f /etc/jupyterhub/jupyterhub_config.py\n\n[Install]\nWantedBy=multi-user.target\n`,
  )
  writeFileSync(join(root, env, 'jupyterhub'), '#!/bin/sh\nexit 0\n', { mode: 0o755 })
  writeFileSync(
    join(root, env, 'python3'),
    '#!/bin/bash\ncase "$1 $2" in\n  "-c import oauthenticator.azuread") exit 0 ;;\n  *) exec python3 "$@" ;;\nesac\n',
    { mode: 0o755 },
  )
}

/** The stand-ins' bodies (bash). Paths are the run's own; nothing here comes from a request. */
function standInScripts(p: {
  root: string
  mounted: string
  ca: string
  token: string
  url: string
}): Record<string, string> {
  const q = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`
  return {
    // mount -t cifs //host/share DIR -o opts   or   mount --fstab FILE DIR   or   mount DIR
    mount: `root=${q(p.root)}
unc="" dir="" opts="" fstab="$root/etc/fstab"
while [ $# -gt 0 ]; do
  case "$1" in
    -t) shift ;;
    -o) opts="$2"; shift ;;
    --fstab|-T) fstab="$2"; shift ;;
    -*) ;;
    *) if [ -z "$unc" ]; then unc="$1"; else dir="$1"; fi ;;
  esac
  shift
done
if [ -z "$dir" ]; then
  dir="$unc"; unc=""
  line="$(awk -v mp="$dir" '$1 !~ /^#/ && $2 == mp { print $1 " " $4; exit }' "$fstab")"
  [ -n "$line" ] || { echo "mount: $dir: can't find in $fstab." >&2; exit 1; }
  unc="\${line%% *}"; opts="\${line#* }"
fi
cred="$(printf '%s\\n' "$opts" | tr ',' '\\n' | sed -n 's/^credentials=//p' | head -n 1)"
[ -n "$cred" ] || { echo "mount error(22): Invalid argument (no credentials)" >&2; exit 32; }
case "$cred" in "$root"/*) ;; *) cred="$root$cred" ;; esac
[ -r "$cred" ] || { echo "mount error(2): No such file or directory: $cred" >&2; exit 32; }
answer="$(curl -sS --cacert ${q(p.ca)} -X POST -H @${q(p.token)} -H "X-Sandbox-Unc: $unc" \\
  --data-binary @"$cred" -o /dev/null -w '%{http_code}' ${q(p.url)} 2>/dev/null)"
case "$answer" in
  204) ;;
  403) echo "mount error(13): Permission denied" >&2; exit 32 ;;
  404) echo "mount error(2): No such file or directory" >&2; exit 32 ;;
  *) echo "mount error(112): Host is down" >&2; exit 32 ;;
esac
case "$dir" in "$root"/*) ;; *) dir="$root$dir" ;; esac
mkdir -p "$dir"
printf '%s\\n' "$dir" >> ${q(p.mounted)}`,
    umount: `for last; do :; done
case "$last" in ${q(p.root)}/*) ;; *) last=${q(p.root)}"$last" ;; esac
grep -vxF -- "$last" ${q(p.mounted)} > ${q(p.mounted)}.new; mv ${q(p.mounted)}.new ${q(p.mounted)}`,
    mountpoint: `for last; do :; done
case "$last" in ${q(p.root)}/*) ;; *) last=${q(p.root)}"$last" ;; esac
grep -qxF -- "$last" ${q(p.mounted)}`,
    useradd: `for last; do :; done
uid=$((1000 + $(wc -l < ${q(p.root)}/etc/passwd)))
printf '%s:x:%s:%s::/home/%s:/bin/bash\\n' "$last" "$uid" "$uid" "$last" >> ${q(p.root)}/etc/passwd
mkdir -p ${q(p.root)}/home/"$last"
chown "$uid:$uid" ${q(p.root)}/home/"$last" 2>/dev/null || true`,
    // The hash comes on stdin (never in arguments) and lands in the run's own shadow file.
    chpasswd: `[ "$1" = -e ] || { echo "chpasswd: only -e is emulated" >&2; exit 2; }
while IFS=: read -r name hash; do printf '%s:%s:::::::\\n' "$name" "$hash" >> ${q(p.root)}/etc/shadow; done`,
    userdel: `for last; do :; done
grep -v "^$last:" ${q(p.root)}/etc/passwd > ${q(p.root)}/etc/passwd.new; mv ${q(p.root)}/etc/passwd.new ${q(p.root)}/etc/passwd
rm -rf ${q(p.root)}/home/"$last"`,
    pkill: 'exit 0',
    systemctl: 'exit 0',
    'apt-get': 'exit 0',
    iptables: 'exit 0',
  }
}

/** A per-run secret for the CIFS check: stand-ins read it from a 0600 file, not arguments. */
export const newCheckToken = () => randomBytes(24).toString('base64url')
