import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

/**
 * Which VM extensions the sandbox can run: only the project's own instance scripts
 * (resources/scripts), recognised by the SHA-256 of their content and nothing else. Any
 * other script, command or extension is accepted and reported as not emulated; the
 * sandbox never runs what a request sends.
 */

export interface InstanceScript {
  name: string
  sha256: string
  text: string
}

/**
 * What running one extension means: the known scripts of its bundle, in the order the bundle
 * runs them (JupyterHub's sign-in, then the share), and the environment its wrapper exports.
 */
export type ExtensionPlan =
  | { kind: 'run'; scripts: InstanceScript[]; env: Record<string, string> }
  | { kind: 'notEmulated'; reason: string }

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/** The instance scripts in `dir` (shell scripts only: the sandbox runs them with bash). */
export function loadInstanceScripts(dirs: Array<string | undefined>): InstanceScript[] {
  const dir = dirs.find((d): d is string => d !== undefined && existsSync(d))
  if (!dir) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sh'))
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8')
      return { name, sha256: sha256(text), text }
    })
}

type Json = Record<string, unknown>

/**
 * The plan for one extension of a scale set model, from its settings and protected settings
 * as the template produces them (the Linux Custom Script extension's `script`: a base64,
 * optionally gzipped, shell script). A known script is found either as the whole script or
 * as here-documents inside it (each one known); `export NAME='value'` lines of the wrapper become its
 * environment. Nothing else of the wrapper is run.
 */
export function planExtension(extension: Json, known: InstanceScript[]): ExtensionPlan {
  const props = (extension.properties ?? {}) as Json
  const publisher = String(props.publisher ?? '')
  const type = String(props.type ?? '')
  if (!/^Microsoft\.Azure\.Extensions$/i.test(publisher) || !/^CustomScript$/i.test(type))
    return { kind: 'notEmulated', reason: `${publisher}.${type} is not emulated by the sandbox.` }
  const settings = (props.settings ?? {}) as Json
  const protectedSettings = (props.protectedSettings ?? {}) as Json
  const encoded = protectedSettings.script ?? settings.script
  if (typeof encoded !== 'string')
    return {
      kind: 'notEmulated',
      reason:
        'Only an inline script (the script setting) is emulated, not commandToExecute or fileUris.',
    }
  const text = decodeScript(encoded)
  if (text === undefined) return { kind: 'notEmulated', reason: 'The script is not base64.' }
  const whole = known.find((k) => k.sha256 === sha256(text))
  if (whole) return { kind: 'run', scripts: [whole], env: {} }
  // The wrapper runs each script it writes out, in order (pool-accounts.sh, then
  // mount-share.sh): all must be known, or none is run.
  const bodies = hereDocuments(text)
  const scripts = bodies.map((body) =>
    known.find((k) => k.sha256 === sha256(body) || k.sha256 === sha256(`${body}\n`)),
  )
  if (bodies.length > 0 && scripts.every((s) => s !== undefined))
    return { kind: 'run', scripts: scripts as InstanceScript[], env: exportedVariables(text) }
  return {
    kind: 'notEmulated',
    reason: "The script is not one of this app's instance scripts; the sandbox runs only those.",
  }
}

function decodeScript(encoded: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(encoded)) return undefined
  const bytes = Buffer.from(encoded, 'base64')
  // The Custom Script extension accepts gzip-compressed scripts too.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('utf8')
    } catch {
      return undefined
    }
  }
  return bytes.toString('utf8')
}

/**
 * Bodies of the wrapper's quoted here-documents (`<<'END'` ... `END`): what it writes out
 * verbatim. Here-documents inside those bodies belong to the scripts, not to the wrapper.
 */
function hereDocuments(text: string): string[] {
  const bodies: string[] = []
  const pattern = /<<-?\s*(['"])([A-Za-z_][A-Za-z0-9_]*)\1[^\n]*\n/g
  let match: RegExpExecArray | null
  while ((match = pattern.exec(text))) {
    const start = match.index + match[0].length
    const end = text.indexOf(`\n${match[2]}\n`, start - 1)
    if (end < start - 1) break
    bodies.push(text.slice(start, Math.max(start, end)))
    // What a body holds is text, not more here-documents (a script's own `<<'EOF'`).
    pattern.lastIndex = end + match[2]!.length + 1
  }
  return bodies
}

/**
 * `export A='x' B=y` lines as the template writes them: single-quoted values, or plain words
 * (characters the shell takes literally, no `$`, quotes, globs or escapes).
 */
export function exportedVariables(text: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const rest = /^\s*export\s+(.*)$/.exec(line)?.[1]
    if (!rest) continue
    const assignment = /([A-Za-z_][A-Za-z0-9_]*)=(?:'([^']*)'|([A-Za-z0-9_.,:/@%+-]+))(?:\s+|$)/y
    const found: Record<string, string> = {}
    let parsed: RegExpExecArray | null
    let consumed = 0
    while ((parsed = assignment.exec(rest))) {
      found[parsed[1]!] = parsed[2] ?? parsed[3]!
      consumed = assignment.lastIndex
    }
    // A line with anything but plain quoted assignments is not taken at all.
    if (consumed === rest.length) Object.assign(env, found)
  }
  return env
}
