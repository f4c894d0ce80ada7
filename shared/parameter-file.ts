import { AppError } from './errors'
import {
  checkAdminUsername,
  checkDnsLabel,
  checkMountPoint,
  checkPoolName,
  checkShareName,
  checkSourceRange,
  checkSshPublicKey,
  checkStorageAccountName,
  type NameProblem,
} from './naming'
import { encodePoolAccounts, type PoolAccount } from './pool-accounts'
import { poolTags } from './pool-tags'
import { weekdays, type PoolSpec, type PoolSpecDraft, type Weekday } from './pool-spec'
import { windowsTimeZone } from './time-zones'

/**
 * Parameter files of resources/templates/dsvm-pool.json: written from a pool spec, exported
 * without secrets, and imported (ours, or Microsoft's dsvm-vmss-cluster format) back into a
 * partial spec.
 */

export const deploymentParametersSchema =
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#'

/** The template and the instance scripts, relative to the app's resources/ folder. */
export const poolTemplateFile = 'templates/dsvm-pool.json'
export const mountScriptFiles = {
  Linux: 'scripts/mount-share.sh',
  Windows: 'scripts/mount-share.ps1',
} as const
/** Linux pools whose JupyterHub signs members in with their Microsoft account. */
export const jupyterHubScriptFile = 'scripts/jupyterhub-entra.sh'

/** The pool accounts script (Linux pools with pool accounts). */
export const accountsScriptFile = 'scripts/pool-accounts.sh'

/** Template parameters of type secureString or secureObject: never exported, shown masked. */
export const secureParameterNames = [
  'adminPassword',
  'storageAccountKey',
  'jupyterHubSignIn',
  'poolAccounts',
] as const

export type ParameterValues = Record<string, { value: unknown }>

export interface ParameterFile {
  $schema: string
  contentVersion: string
  metadata?: { template: string; note?: string }
  parameters: ParameterValues
}

/** The Data Science VM images the template deploys (no marketplace plan). */
export const dsvmImages = {
  Linux: { publisher: 'microsoft-dsvm', offer: 'ubuntu-2204', sku: '2204', version: 'latest' },
  Windows: {
    publisher: 'microsoft-dsvm',
    offer: 'dsvm-win-2022',
    sku: 'winserver-2022',
    version: 'latest',
  },
} as const

export interface DeploymentInputs {
  /** Text of resources/scripts/mount-share.sh (Linux) or mount-share.ps1 (Windows). */
  mountScript: string
  /** Key of an existing storage account, read when deploying; never stored or exported. */
  storageAccountKey?: string
  /** User principal name of the person creating the pool (the owner tag). */
  owner?: string
  /**
   * How instances get the storage key: 'identity' (the default: the pool's managed identity
   * reads it at boot; needs the right to assign roles) or 'settings' (protected settings).
   */
  keyAccess?: KeyAccess
  /**
   * Pool accounts (Linux): the text of resources/scripts/pool-accounts.sh and the accounts
   * it makes. The accounts hold password hashes: secure, never exported.
   */
  poolAccounts?: { script: string; accounts: readonly PoolAccount[] }
  /**
   * Linux pools only: JupyterHub signs members in with their Microsoft account through the
   * pool's app registration (electron/azure/team/jupyterhub-app.ts). The secret is for the
   * deployment request only (secureObject parameter), never stored or exported.
   */
  jupyterHub?: { signIn: JupyterHubSignIn; script: string }
}

/** The template's secureObject parameter `jupyterHubSignIn`. */
export interface JupyterHubSignIn {
  tenantId: string
  clientId: string
  clientSecret: string
}

export type KeyAccess = 'identity' | 'settings'

/** Values for every template parameter; includes secrets (for the deployment request only). */
export function templateParameters(spec: PoolSpec, inputs: DeploymentInputs): ParameterValues {
  if (
    spec.storage.mode === 'existing' &&
    inputs.keyAccess === 'settings' &&
    !inputs.storageAccountKey
  ) {
    throw new AppError(
      'Validation',
      `The key of the existing storage account '${spec.storage.accountName}' is needed to mount its share.`,
    )
  }
  return parameterValues(spec, inputs)
}

function parameterValues(spec: PoolSpec, inputs: DeploymentInputs): ParameterValues {
  const schedule = spec.autoscale.schedule
  const values: Record<string, unknown> = {
    location: spec.location,
    vmssName: spec.poolName,
    osType: spec.osType,
    vmSku: spec.vmSku,
    instanceCount: spec.instanceCount,
    image: dsvmImages[spec.osType],
    priority: spec.priority,
    evictionPolicy: spec.evictionPolicy,
    maxPrice: String(spec.maxPrice),
    adminUsername: spec.adminUsername,
    ...(spec.osType === 'Windows'
      ? { adminPassword: spec.adminPassword ?? '' }
      : { sshPublicKey: spec.sshPublicKey ?? '' }),
    allowedSourceRanges: spec.allowedSourceRanges,
    networkAccess: spec.network.access,
    ...(spec.network.access === 'Public' ? { dnsLabel: spec.network.dnsLabel } : {}),
    storage: spec.storage.mode,
    storageAccountName: spec.storage.accountName,
    ...(spec.storage.mode === 'existing' && spec.storage.accountResourceGroup
      ? { storageResourceGroup: spec.storage.accountResourceGroup }
      : {}),
    keyAccess: inputs.keyAccess ?? 'identity',
    ...(spec.storage.mode === 'existing' && inputs.keyAccess === 'settings'
      ? { storageAccountKey: inputs.storageAccountKey }
      : {}),
    shareName: spec.storage.shareName,
    mountpointPath: spec.storage.mountpointPath,
    mountScript: inputs.mountScript,
    ...(spec.osType === 'Linux' && inputs.jupyterHub
      ? { jupyterHubSignIn: inputs.jupyterHub.signIn, jupyterHubScript: inputs.jupyterHub.script }
      : {}),
    ...(spec.osType === 'Linux' && inputs.poolAccounts
      ? {
          accountsScript: inputs.poolAccounts.script,
          poolAccounts: encodePoolAccounts(inputs.poolAccounts.accounts),
        }
      : {}),
    autoscaleEnabled: spec.autoscale.enabled,
    autoscaleMinimum: spec.autoscale.minimum,
    autoscaleMaximum: spec.autoscale.maximum,
    autoscaleDefault: spec.autoscale.default,
    workingDays: schedule ? schedule.days : [],
    ...(schedule
      ? {
          workingHoursStart: schedule.start,
          workingHoursEnd: schedule.end,
          workingTimeZone: windowsTimeZone(schedule.timeZone) ?? schedule.timeZone,
        }
      : {}),
    tags: {
      ...spec.tags,
      ...(inputs.owner ? { [poolTags.owner]: inputs.owner } : {}),
      // The pool's JupyterHub app registration (its client id, not a secret), for renewal and delete.
      ...(spec.osType === 'Linux' && inputs.jupyterHub
        ? { [poolTags.jupyterHubApp]: inputs.jupyterHub.signIn.clientId }
        : {}),
    },
  }
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value }]))
}

/** The parameter file that is deployed, secrets included: never write it to disk. */
export function toParameterFile(spec: PoolSpec, inputs: DeploymentInputs): ParameterFile {
  return {
    $schema: deploymentParametersSchema,
    contentVersion: '1.0.0.0',
    metadata: { template: 'dsvm-pool.json' },
    parameters: templateParameters(spec, inputs),
  }
}

/** The file as the Review step shows it: secure values replaced by dots. */
export function maskSecrets(file: ParameterFile): ParameterFile {
  const parameters = { ...file.parameters }
  for (const name of secureParameterNames) {
    if (parameters[name] && parameters[name].value !== '') parameters[name] = { value: '********' }
  }
  return { ...file, parameters }
}

/** The parameter file to save or share: no password, no storage key, a note saying so. */
export function exportParameterFile(
  spec: PoolSpec,
  inputs: Omit<DeploymentInputs, 'storageAccountKey'>,
): ParameterFile {
  const parameters = parameterValues(spec, inputs)
  // An empty secure value (no pool accounts yet) is left out without asking for it.
  const removed = secureParameterNames.filter(
    (name) => name in parameters && parameters[name]!.value !== '',
  )
  for (const name of secureParameterNames) delete parameters[name]
  return {
    $schema: deploymentParametersSchema,
    contentVersion: '1.0.0.0',
    metadata: {
      template: 'dsvm-pool.json',
      note: removed.length
        ? `${removed.join(' and ')} ${removed.length > 1 ? 'were' : 'was'} removed on export and must be given when deploying (for example az deployment group create ... --parameters ${removed.map((n) => `${n}=...`).join(' ')}).`
        : "Contains no secrets: the pool's managed identity reads the storage key on the instances.",
    },
    parameters,
  }
}

// ---- import ------------------------------------------------------------------------------

export type ParameterFileFormat = 'dsvm-pool' | 'dsvm-vmss-cluster'

export interface ImportNote {
  parameter: string
  message: string
}

export interface ImportResult {
  format: ParameterFileFormat
  spec: PoolSpecDraft
  /** Parameters (or values) the import did not take, each with the reason. */
  notUnderstood: ImportNote[]
}

/** Parameters only our template has: their presence makes a file ours. */
const ownParameters = new Set(
  [
    'osType',
    'sshPublicKey',
    'image',
    'priority',
    'evictionPolicy',
    'maxPrice',
    'allowedSourceRanges',
    'networkAccess',
    'dnsLabel',
    'storage',
    'storageResourceGroup',
    'keyAccess',
    'mountScript',
    'jupyterHubSignIn',
    'jupyterHubScript',
    'accountsScript',
    'poolAccounts',
    'autoscaleEnabled',
    'autoscaleMinimum',
    'autoscaleMaximum',
    'autoscaleDefault',
    'workingDays',
    'workingHoursStart',
    'workingHoursEnd',
    'workingTimeZone',
    'tags',
    'location',
    'vnetAddressPrefix',
    'subnetAddressPrefix',
  ].map((n) => n.toLowerCase()),
)

/** The parameters of Microsoft's dsvm-vmss-cluster.json (all of them are ours too). */
const microsoftParameters = [
  'vmSku',
  'vmssName',
  'instanceCount',
  'adminUsername',
  'adminPassword',
  'storageAccountName',
  'storageAccountKey',
  'shareName',
  'mountpointPath',
]
const knownParameters = new Set([
  ...ownParameters,
  ...microsoftParameters.map((n) => n.toLowerCase()),
])

const placeholder = /^(GEN-|ENTER-|YOUR-)|GEN-PASSWORD|GEN-UNIQUE/i

const storageKeyNote =
  'Not needed: the app reads the key from the storage account when it deploys, so it is never kept in a file.'

/** A name of `length` lowercase letters and digits, starting with a letter (GEN-UNIQUE-n). */
export function uniquePoolName(length: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  const alphabet = `${letters}0123456789`
  const random = crypto.getRandomValues(new Uint8Array(length))
  return [...random].map((byte, i) => (i === 0 ? letters[byte % 26] : alphabet[byte % 36])).join('')
}

const invalid = (problem: string, message: string) =>
  new AppError('Validation', message, { problem })

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw invalid('NotJson', `The file is not valid JSON: ${detail}.`)
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Reads a parameter file of ours or of Microsoft's dsvm-vmss-cluster.json into the answers it
 * gives. Placeholders, invalid values, Key Vault references and unknown parameters are listed
 * in `notUnderstood`; a file that is not such a parameter file throws AppError('Validation')
 * with `details.problem` naming what is wrong.
 */
export function importParameterFile(
  text: string,
  options: { uniqueName?: (length: number) => string } = {},
): ImportResult {
  const file = parseJson(text)
  if (!isObject(file))
    throw invalid('NotParameterFile', 'This is not an ARM parameter file: it is not a JSON object.')
  const schema = typeof file.$schema === 'string' ? file.$schema : ''
  if (/deploymentTemplate\.json/i.test(schema) || 'resources' in file) {
    throw invalid(
      'TemplateNotParameters',
      'This is an ARM template, not a parameter file. Choose the .parameters.json file that goes with it.',
    )
  }
  if (schema && !/deploymentParameters\.json/i.test(schema)) {
    throw invalid(
      'NotParameterFile',
      `This is not an ARM parameter file: its $schema is ${schema}.`,
    )
  }
  if (!isObject(file.parameters)) {
    throw invalid(
      'NotParameterFile',
      'This is not an ARM parameter file: it has no "parameters" object.',
    )
  }
  const entries = Object.entries(file.parameters)
  const known = entries.filter(([name]) => knownParameters.has(name.toLowerCase()))
  if (known.length === 0) {
    throw invalid(
      'ForeignParameters',
      entries.length === 0
        ? 'The parameter file has no parameters.'
        : `None of its parameters (${entries
            .map(([n]) => n)
            .slice(0, 6)
            .join(
              ', ',
            )}) belong to the DSVM pool template or to Microsoft's dsvm-vmss-cluster template.`,
    )
  }
  const format: ParameterFileFormat = entries.some(([name]) =>
    ownParameters.has(name.toLowerCase()),
  )
    ? 'dsvm-pool'
    : 'dsvm-vmss-cluster'
  const reader = new ParameterReader(format, options.uniqueName ?? uniquePoolName)
  for (const [name, entry] of entries) reader.read(name, entry)
  return { format, spec: reader.finish(), notUnderstood: reader.notes }
}

/** Turns parameter values into spec answers, one parameter at a time. */
class ParameterReader {
  readonly notes: ImportNote[] = []
  private readonly values = new Map<string, unknown>()
  private readonly placeholders = new Map<string, { name: string; value: string }>()

  constructor(
    private readonly format: ParameterFileFormat,
    private readonly uniqueName: (length: number) => string,
  ) {}

  read(name: string, entry: unknown): void {
    const canonical = [...knownParameters].find((k) => k === name.toLowerCase())
    if (!canonical) {
      this.note(name, 'This parameter is not one the DSVM pool template has; it was ignored.')
      return
    }
    if (!isObject(entry)) {
      this.note(name, 'The entry is not an object with a "value"; it was ignored.')
      return
    }
    if ('reference' in entry && !('value' in entry)) {
      this.note(
        name,
        'The value comes from a Key Vault reference, which the app does not read; enter it in the wizard.',
      )
      return
    }
    if (!('value' in entry)) {
      this.note(name, 'The entry has no "value"; it was ignored.')
      return
    }
    const value = entry.value
    if (typeof value === 'string' && placeholder.test(value)) {
      this.placeholders.set(canonical, { name, value })
      return
    }
    this.values.set(canonical, value)
  }

  /**
   * The sample file's placeholders: a pool name is made for GEN-UNIQUE-n; a password only a
   * Windows pool uses and a storage key the app never needs are not asked for; the others
   * are left to the wizard's step that asks for them.
   */
  private readPlaceholders(spec: PoolSpecDraft, osType: 'Linux' | 'Windows' | undefined): void {
    for (const [canonical, { name, value }] of this.placeholders) {
      const unique = /^GEN-UNIQUE(?:-(\d+))?$/i.exec(value)
      if (canonical === 'vmssname' && unique) {
        const poolName = this.uniqueName(Math.min(Math.max(Number(unique[1] ?? 8), 3), 40))
        spec.poolName = poolName
        this.note(
          name,
          `'${value}' asks for a unique name: the pool is called '${poolName}'. Change it on Basics if you like.`,
        )
      } else if (canonical === 'adminpassword' && osType !== 'Windows') {
        this.note(name, 'Not used: Linux pools sign in with an SSH key instead of a password.')
      } else if (canonical === 'storageaccountkey') {
        this.note(name, storageKeyNote)
      } else {
        this.note(
          name,
          `'${value}' is a placeholder from the sample file; the wizard asks for this value.`,
        )
      }
    }
  }

  note(parameter: string, message: string): void {
    this.notes.push({ parameter, message })
  }

  private take<T>(
    name: string,
    parse: (value: unknown) => T | undefined,
    expected: string,
  ): T | undefined {
    const key = name.toLowerCase()
    if (!this.values.has(key)) return undefined
    const value = this.values.get(key)
    const parsed = parse(value)
    if (parsed === undefined) this.note(name, `${JSON.stringify(value)} is not ${expected}.`)
    return parsed
  }

  private checked(name: string, check: (value: string) => NameProblem): string | undefined {
    const value = this.take(name, (v) => (typeof v === 'string' ? v : undefined), 'a string')
    if (value === undefined) return undefined
    const problem = check(value)
    if (problem) {
      this.note(name, problem)
      return undefined
    }
    return value
  }

  private int(name: string, min: number, max: number): number | undefined {
    return this.take(
      name,
      (v) => {
        const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v
        return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : undefined
      },
      `a whole number from ${min} to ${max}`,
    )
  }

  private oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    return this.take(
      name,
      (v) =>
        typeof v === 'string'
          ? allowed.find((a) => a.toLowerCase() === v.toLowerCase())
          : undefined,
      `one of ${allowed.join(', ')}`,
    )
  }

  finish(): PoolSpecDraft {
    const spec: PoolSpecDraft = {}
    const set = <K extends keyof PoolSpecDraft>(key: K, value: PoolSpecDraft[K] | undefined) => {
      if (value !== undefined) spec[key] = value
    }
    const osType =
      this.oneOf('osType', ['Linux', 'Windows'] as const) ??
      (this.format === 'dsvm-vmss-cluster' ? 'Linux' : undefined)
    set('osType', osType)
    set(
      'location',
      this.take(
        'location',
        (v) =>
          typeof v === 'string' && /^[a-z0-9 ]+$/i.test(v)
            ? v.replace(/\s+/g, '').toLowerCase()
            : undefined,
        'a region name',
      ),
    )
    set('poolName', this.poolName(osType))
    set(
      'vmSku',
      this.take(
        'vmSku',
        (v) => (typeof v === 'string' && /^[A-Za-z]+_[A-Za-z0-9_-]+$/.test(v) ? v : undefined),
        'a VM size such as Standard_D4s_v5',
      ),
    )
    set('instanceCount', this.int('instanceCount', 0, 100))
    this.readImage(osType)
    set('priority', this.oneOf('priority', ['Regular', 'Spot'] as const))
    set('evictionPolicy', this.oneOf('evictionPolicy', ['Deallocate', 'Delete'] as const))
    set(
      'maxPrice',
      this.take(
        'maxPrice',
        (v) => {
          const n = typeof v === 'string' ? Number(v) : v
          return typeof n === 'number' && (n === -1 || n > 0) ? n : undefined
        },
        'a price above 0 or -1',
      ),
    )
    set(
      'adminUsername',
      this.checked('adminUsername', (v) => checkAdminUsername(v, osType ?? 'Linux')),
    )
    this.readSecrets(spec, osType)
    this.readPlaceholders(spec, osType)
    set('sshPublicKey', this.checked('sshPublicKey', checkSshPublicKey))
    // The pool accounts script in the file records that choice (docs/team.md).
    const accountsScript = this.values.get('accountsscript')
    if (typeof accountsScript === 'string' && accountsScript !== '' && osType !== 'Windows')
      spec.teamAccess = 'poolAccounts'
    set('allowedSourceRanges', this.readRanges())
    this.readNetwork(spec)
    this.readStorage(spec, osType)
    this.readAutoscale(spec)
    this.readTags(spec)
    return spec
  }

  /** vmssName is the pool name; capitals are made lowercase (Azure names are not case-sensitive). */
  private poolName(osType: 'Linux' | 'Windows' | undefined): string | undefined {
    const value = this.values.get('vmssname')
    if (typeof value === 'string' && value !== value.toLowerCase()) {
      const lower = value.toLowerCase()
      if (!checkPoolName(lower, osType)) {
        this.note('vmssName', `Taken in lowercase: the pool is called '${lower}'.`)
        return lower
      }
    }
    return this.checked('vmssName', (v) => checkPoolName(v, osType))
  }

  private readImage(osType: 'Linux' | 'Windows' | undefined): void {
    if (!this.values.has('image')) return
    const image = this.values.get('image')
    const current = osType ? dsvmImages[osType] : undefined
    const same =
      isObject(image) &&
      current &&
      Object.entries(current).every(
        ([k, v]) => String(image[k] ?? '').toLowerCase() === v.toLowerCase(),
      )
    if (!same)
      this.note(
        'image',
        'The app deploys the current Data Science VM image for the operating system; this image was not taken.',
      )
  }

  private readSecrets(spec: PoolSpecDraft, osType: 'Linux' | 'Windows' | undefined): void {
    if (this.values.has('adminpassword')) {
      const password = this.values.get('adminpassword')
      if (osType === 'Windows' && typeof password === 'string' && password) {
        spec.adminPassword = password
      } else if (osType !== 'Windows') {
        this.note(
          'adminPassword',
          'Not used: Linux pools sign in with an SSH key instead of a password.',
        )
      }
    }
    if (this.values.has('storageaccountkey') && this.values.get('storageaccountkey') !== '') {
      this.note('storageAccountKey', storageKeyNote)
    }
  }

  private readRanges(): string[] | undefined {
    const ranges = this.take(
      'allowedSourceRanges',
      (v) => (Array.isArray(v) && v.every((r) => typeof r === 'string') ? v : undefined),
      'a list of address ranges',
    )
    if (!ranges) return undefined
    const good = ranges.filter((range) => {
      const problem = checkSourceRange(range)
      if (problem) this.note('allowedSourceRanges', problem)
      return !problem
    })
    return good.length ? good : undefined
  }

  private readNetwork(spec: PoolSpecDraft): void {
    const access = this.oneOf('networkAccess', ['Public', 'Internal'] as const)
    const dnsLabel = this.checked('dnsLabel', checkDnsLabel)
    if (access === 'Internal') spec.network = { access: 'Internal' }
    else if (access === 'Public' || dnsLabel)
      spec.network = { access: 'Public', ...(dnsLabel ? { dnsLabel } : {}) }
  }

  private readStorage(spec: PoolSpecDraft, osType: 'Linux' | 'Windows' | undefined): void {
    const storage: NonNullable<PoolSpecDraft['storage']> = {}
    const mode =
      this.oneOf('storage', ['new', 'existing'] as const) ??
      (this.format === 'dsvm-vmss-cluster' && this.values.has('storageaccountname')
        ? 'existing'
        : undefined)
    if (mode) storage.mode = mode
    const accountName = this.checked('storageAccountName', checkStorageAccountName)
    if (accountName) storage.accountName = accountName
    const accountGroup = this.take(
      'storageResourceGroup',
      (v) => (typeof v === 'string' && /^[-\w.()]{1,90}$/.test(v) ? v : undefined),
      'a resource group name',
    )
    if (accountGroup && mode === 'existing') storage.accountResourceGroup = accountGroup
    const shareName = this.checked('shareName', checkShareName)
    if (shareName) storage.shareName = shareName
    const mountpointPath = this.checked('mountpointPath', (v) =>
      checkMountPoint(v, osType ?? (v.startsWith('/') ? 'Linux' : 'Windows')),
    )
    if (mountpointPath) storage.mountpointPath = mountpointPath
    if (Object.keys(storage).length) spec.storage = storage
  }

  private readAutoscale(spec: PoolSpecDraft): void {
    const autoscale: NonNullable<PoolSpecDraft['autoscale']> = {}
    const enabled = this.take(
      'autoscaleEnabled',
      (v) => (typeof v === 'boolean' ? v : undefined),
      'true or false',
    )
    if (enabled !== undefined) autoscale.enabled = enabled
    const minimum = this.int('autoscaleMinimum', 0, 100)
    if (minimum !== undefined) autoscale.minimum = minimum
    const maximum = this.int('autoscaleMaximum', 1, 100)
    if (maximum !== undefined) autoscale.maximum = maximum
    const initial = this.int('autoscaleDefault', 0, 100)
    if (initial !== undefined) autoscale.default = initial
    const days = this.take(
      'workingDays',
      (v) =>
        Array.isArray(v) && v.every((d) => typeof d === 'string')
          ? v.map((d) => weekdays.find((w) => w.toLowerCase() === String(d).toLowerCase()))
          : undefined,
      'a list of weekdays',
    )
    if (days && days.some((d) => d === undefined))
      this.note(
        'workingDays',
        'Only Monday to Sunday are weekdays; the other entries were ignored.',
      )
    const validDays = days?.filter((d): d is Weekday => d !== undefined)
    const time = (name: string) =>
      this.take(
        name,
        (v) => (typeof v === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? v : undefined),
        'a time such as 08:00',
      )
    const start = time('workingHoursStart')
    const end = time('workingHoursEnd')
    const timeZone = this.take(
      'workingTimeZone',
      (v) => (typeof v === 'string' ? windowsTimeZone(v) : undefined),
      'a time zone autoscale knows',
    )
    if (days !== undefined) {
      autoscale.schedule =
        validDays && validDays.length
          ? {
              days: validDays,
              start: start ?? '08:00',
              end: end ?? '18:00',
              timeZone: timeZone ?? 'UTC',
            }
          : null
    }
    if (Object.keys(autoscale).length) spec.autoscale = autoscale
  }

  private readTags(spec: PoolSpecDraft): void {
    const tags = this.take(
      'tags',
      (v) =>
        isObject(v) && Object.values(v).every((t) => typeof t === 'string')
          ? (v as Record<string, string>)
          : undefined,
      'an object of text tags',
    )
    if (!tags) return
    const own = new Set<string>(Object.values(poolTags))
    spec.tags = Object.fromEntries(Object.entries(tags).filter(([name]) => !own.has(name)))
  }
}
