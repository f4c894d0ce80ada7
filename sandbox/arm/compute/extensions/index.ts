import { timingSafeEqual } from 'node:crypto'
import { join } from 'node:path'
import type { SandboxContext } from '../../../core/context'
import type { Route } from '../../../core/http'
import { managedIdentityEndpointOf } from '../../../identity/managed-identity-endpoint'
import { accountKeys, findAccountByName } from '../../storage/accounts'
import { findShare } from '../../storage/shares'
import type { ExtensionStatus, InstanceRecord, ScaleSetResource } from '../model'
import { loadInstanceScripts, planExtension, type InstanceScript } from './instance-scripts'
import { canRunInstanceScripts, newCheckToken, runInstanceScript, type ScriptRun } from './runner'

/**
 * VM extensions of a scale set's model, run when instances are provisioned: the project's
 * own instance scripts for real (see runner.ts), every other extension accepted and
 * reported as not emulated. The result becomes each new instance's extension status; a
 * failed script fails the scale set's operation with Azure's VMExtensionProvisioningError.
 * Protected settings (they hold keys) stay in memory for the run only, never in state.
 */

export type { ExtensionStatus }

type Json = Record<string, unknown>

export interface ExtensionOutcome {
  statuses: ExtensionStatus[]
  /** Azure's error for the operation when a script failed. */
  failure?: { code: string; message: string }
}

const cifsCheckPath = '/_sandbox/extensions/cifs-check'
/**
 * The metadata service of the instances one run stands for: the managed-identity endpoint
 * answering for the scale set's identities only. The run's id names the instances; it is
 * not a credential (on Azure any process on the instance reaches the metadata service).
 */
const metadataPath = '/_sandbox/instances/{run}/metadata/identity/oauth2/token'

export class ExtensionRunner {
  private readonly scripts: InstanceScript[]
  private readonly tokens = new Set<string>()
  /** Live runs: the resource ids of the scale set's user-assigned identities. */
  private readonly runs = new Map<string, string[]>()

  constructor(
    private readonly ctx: SandboxContext,
    scriptDirs: Array<string | undefined>,
    private readonly caCert: () => string,
  ) {
    this.scripts = loadInstanceScripts(scriptDirs)
  }

  /** The sandbox-only route the `mount` stand-in asks (see runner.ts). */
  routes(): Route[] {
    return [
      {
        service: 'sandbox',
        method: 'POST',
        pattern: cifsCheckPath,
        handler: (req) => ({
          status: this.checkCifs(
            req.header('x-sandbox-check'),
            req.header('x-sandbox-unc'),
            req.body,
          ),
        }),
      },
      ...['GET', 'POST'].map((method): Route => ({
        service: 'sandbox',
        method,
        pattern: metadataPath,
        handler: (req) => {
          const attached = this.runs.get(req.params.run ?? '')
          const endpoint = managedIdentityEndpointOf(this.ctx)
          if (!attached || !endpoint) return { status: 404 }
          return endpoint.handle(req, attached)
        },
      })),
    ]
  }

  /**
   * Runs the model's extensions for instances provisioned by one operation. The script runs
   * once per operation; its result stands for each new instance (they run the same model).
   */
  async run(
    scaleSet: ScaleSetResource,
    extensions: Json[],
    instances: InstanceRecord[],
  ): Promise<ExtensionOutcome> {
    const statuses: ExtensionStatus[] = []
    let failure: ExtensionOutcome['failure']
    const admin = String(
      ((scaleSet.properties.virtualMachineProfile?.osProfile ?? {}) as Json).adminUsername ??
        'azureuser',
    )
    for (const extension of extensions) {
      const props = (extension.properties ?? {}) as Json
      const base = {
        name: String(extension.name ?? ''),
        type: `${String(props.publisher ?? '')}.${String(props.type ?? '')}`,
        typeHandlerVersion: String(props.typeHandlerVersion ?? ''),
        time: this.ctx.clock.nowIso(),
      }
      const plan = planExtension(extension, this.scripts)
      if (plan.kind === 'notEmulated' || !canRunInstanceScripts()) {
        statuses.push({
          ...base,
          code: 'ProvisioningState/succeeded',
          level: 'Info',
          displayStatus: 'Provisioning succeeded',
          message: `Not emulated: ${plan.kind === 'notEmulated' ? plan.reason : 'the sandbox runs instance scripts on Linux only.'}`,
        })
        continue
      }
      const token = newCheckToken()
      const runId = newCheckToken()
      this.tokens.add(token)
      this.runs.set(runId, userAssignedIdentities(scaleSet))
      let run: ScriptRun
      try {
        run = await runInstanceScript(plan.scripts, plan.env, {
          cifsCheckUrl: `${this.ctx.endpoints.armEndpoint}${cifsCheckPath}`,
          cifsCheckToken: token,
          identityEndpoint: `${this.ctx.endpoints.armEndpoint}${metadataPath.replace('{run}', runId)}`,
          caCert: this.caCert(),
          adminUsername: /^[a-z_][a-z0-9_-]*$/.test(admin) ? admin : 'azureuser',
        })
      } finally {
        this.tokens.delete(token)
        this.runs.delete(runId)
      }
      const output = `[stdout]\n${run.stdout.trim()}\n\n[stderr]\n${run.stderr.trim()}`
      if (run.exitCode === 0) {
        statuses.push({
          ...base,
          code: 'ProvisioningState/succeeded',
          level: 'Info',
          displayStatus: 'Provisioning succeeded',
          message: `Enable succeeded: \n${output}`,
        })
        continue
      }
      const message = `Enable failed: failed to execute command: command terminated with exit status=${run.exitCode}\n${output}`
      statuses.push({
        ...base,
        code: 'ProvisioningState/failed/1',
        level: 'Error',
        displayStatus: 'Provisioning failed',
        message,
      })
      failure ??= {
        code: 'VMExtensionProvisioningError',
        message: `VM has reported a failure when processing extension '${base.name}' (publisher '${String(props.publisher)}' and type '${String(props.type)}'). Error message: '${message}'. More information on troubleshooting is available at https://aka.ms/VMExtensionCSELinuxTroubleshoot. `,
      }
    }
    for (const instance of instances) instance.extensions = statuses
    this.ctx.resources.touch()
    return { statuses, ...(failure ? { failure } : {}) }
  }

  /** 204 when the account, share and key are right; 403 wrong key; 404 no such account or share. */
  private checkCifs(token: string | undefined, unc: string | undefined, body: Buffer): number {
    if (!token || ![...this.tokens].some((t) => safeEqual(t, token))) return 401
    const m = /^\/\/([a-z0-9]{3,24})\.file\.[^/]+\/([^/]+)/.exec(unc ?? '')
    if (!m) return 404
    const fields = new Map(
      body
        .toString('utf8')
        .split('\n')
        .map((text) => {
          // Keys are base64 and end in '=': split at the first '=' only.
          const eq = text.indexOf('=')
          return eq > 0 ? [text.slice(0, eq).trim().toLowerCase(), line(text.slice(eq + 1))] : []
        })
        .filter((pair): pair is [string, string] => pair.length === 2),
    )
    const [, accountName, shareName] = m
    const account = findAccountByName(this.ctx, accountName!)
    if (!account || !findShare(this.ctx, account, shareName!)) return 404
    if (fields.get('username') !== accountName) return 403
    const password = fields.get('password') ?? ''
    return accountKeys(account).some((k) => safeEqual(k.value, password)) ? 204 : 403
  }
}

/** Resource ids of the user-assigned identities in the scale set's model. */
function userAssignedIdentities(scaleSet: ScaleSetResource): string[] {
  const identity = (scaleSet as unknown as { identity?: Json }).identity
  if (!identity || !/UserAssigned/i.test(String(identity.type ?? ''))) return []
  return Object.keys((identity.userAssignedIdentities ?? {}) as Json)
}

const line = (value: string) => value.replace(/\r$/, '')

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Where the project's instance scripts are: next to the app's resources, or the repository's. */
export function instanceScriptDirs(): Array<string | undefined> {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath
  return [
    resourcesPath ? join(resourcesPath, 'scripts') : undefined,
    join(process.cwd(), 'resources', 'scripts'),
  ]
}

// ---- the scale set operations' side ----------------------------------------------------

const runners = new WeakMap<SandboxContext, ExtensionRunner>()
/** Extensions with protected settings, per scale set id (lower case); memory only. */
const modelExtensions = new WeakMap<SandboxContext, Map<string, Json[]>>()
const outcomes = new Map<string, ExtensionOutcome>()

export function installExtensionRunner(ctx: SandboxContext): Route[] {
  const runner = new ExtensionRunner(ctx, instanceScriptDirs(), () => ctx.caCert ?? '')
  runners.set(ctx, runner)
  modelExtensions.set(ctx, new Map())
  return runner.routes()
}

const extensionsIn = (model: Json | undefined): Json[] | undefined => {
  const profile = (model?.properties as Json | undefined)?.virtualMachineProfile as Json | undefined
  const extensions = (profile?.extensionProfile as Json | undefined)?.extensions
  return Array.isArray(extensions) ? (structuredClone(extensions) as Json[]) : undefined
}

/** Keeps a PUT's or PATCH's extensions (with their protected settings) for later runs. */
export function rememberExtensions(ctx: SandboxContext, scaleSetId: string, body: Json): void {
  const extensions = extensionsIn(body)
  if (extensions) modelExtensions.get(ctx)?.set(scaleSetId.toLowerCase(), extensions)
}

/** Keeps one extension written on its own (PUT .../extensions/{name}), with its protected settings. */
export function rememberExtension(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  extension: Json,
): void {
  const map = modelExtensions.get(ctx)
  if (!map) return
  const key = scaleSet.id.toLowerCase()
  const list = (map.get(key) ?? extensionsIn(scaleSet as unknown as Json) ?? []).filter(
    (e) => e.name !== extension.name,
  )
  map.set(key, [...list, structuredClone(extension)])
}

/** Starts the extensions for instances an operation adds; the operation waits for them. */
export function runExtensions(
  ctx: SandboxContext,
  scaleSet: ScaleSetResource,
  added: InstanceRecord[],
  operationId: string,
): void {
  const runner = runners.get(ctx)
  const extensions =
    modelExtensions.get(ctx)?.get(scaleSet.id.toLowerCase()) ??
    extensionsIn(scaleSet as unknown as Json) ??
    []
  if (!runner || extensions.length === 0) return
  const work = runner.run(scaleSet, extensions, added).then(
    (outcome) => {
      outcomes.set(operationId, outcome)
    },
    (error: unknown) => {
      outcomes.set(operationId, {
        statuses: [],
        failure: {
          code: 'VMExtensionProvisioningError',
          message: `The sandbox could not run the extensions: ${(error as Error).message}`,
        },
      })
    },
  )
  ctx.lro.hold(operationId, work)
}

/** The failure an operation's extensions ended with (once), if any. */
export function takeExtensionFailure(operationId: string): ExtensionOutcome['failure'] {
  const outcome = outcomes.get(operationId)
  outcomes.delete(operationId)
  return outcome?.failure
}
