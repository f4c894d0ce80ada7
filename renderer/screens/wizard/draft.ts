import {
  defaultPoolSpec,
  suggestStorageAccountName,
  validatePoolSpec,
  type PoolSpec,
  type PoolSpecDraft,
} from '../../../shared/pool-spec'
import { windowsTimeZone } from '../../../shared/time-zones'

/**
 * The wizard's answers: every field of a pool spec, possibly not valid yet. Validation is the
 * pool spec's own (shared/pool-spec.ts), and each step shows the problems of its fields.
 */
export type Draft = PoolSpec

export const steps = [
  { id: 'basics', label: 'Basics' },
  { id: 'machines', label: 'Machines' },
  { id: 'scaling', label: 'Scaling' },
  { id: 'access', label: 'Access' },
  { id: 'storage', label: 'Storage' },
  { id: 'review', label: 'Review' },
] as const
export type StepId = (typeof steps)[number]['id']

/** Which answers (dotted paths, by prefix) each step asks for. */
const stepFields: Record<Exclude<StepId, 'review'>, string[]> = {
  basics: ['subscriptionId', 'resourceGroup', 'location', 'poolName'],
  machines: ['osType', 'vmSku', 'instanceCount', 'priority', 'evictionPolicy', 'maxPrice'],
  scaling: ['autoscale'],
  access: [
    'adminUsername',
    'sshPublicKey',
    'adminPassword',
    'teamAccess',
    'allowedSourceRanges',
    'network',
  ],
  storage: ['storage', 'tags'],
}

export function initialDraft(subscriptionId: string, poolName = 'team-pool'): Draft {
  const defaults = defaultPoolSpec(poolName) as PoolSpec
  return {
    ...defaults,
    subscriptionId,
    resourceGroup: { mode: 'new', name: `${poolName}-rg` },
    location: 'eastus',
    // No default: the person says who may connect (their address is not known offline).
    allowedSourceRanges: [],
    autoscale: {
      ...defaults.autoscale,
      schedule: defaults.autoscale.schedule && {
        ...defaults.autoscale.schedule,
        timeZone: localTimeZone(),
      },
    },
    storage: { ...defaults.storage },
  }
}

/** This computer's time zone as autoscale names it, or UTC when it has no Windows name. */
export function localTimeZone(): string {
  const iana = Intl.DateTimeFormat().resolvedOptions().timeZone
  return (iana && windowsTimeZone(iana)) ?? 'UTC'
}

export function problemsOf(draft: Draft): Record<string, string> {
  const result = validatePoolSpec(draft)
  return result.ok ? {} : result.problems
}

export function stepProblems(
  problems: Record<string, string>,
  step: StepId,
): Record<string, string> {
  if (step === 'review') return problems
  const prefixes = stepFields[step]
  return Object.fromEntries(
    Object.entries(problems).filter(([path]) =>
      prefixes.some((p) => path === p || path.startsWith(`${p}.`)),
    ),
  )
}

/** Answers whose problem follows from others the person changed (the reason is in the message). */
const derivedFrom: Record<string, string[]> = {
  'autoscale.default': ['autoscale.minimum', 'autoscale.maximum', 'instanceCount'],
  'autoscale.minimum': ['autoscale.maximum'],
  instanceCount: ['autoscale.maximum', 'autoscale.enabled'],
}

const isUnder = (path: string, prefix: string) =>
  path === prefix || path.startsWith(`${prefix}.`) || prefix.startsWith(`${path}.`)

/**
 * The problems to show now: all of a step once Next was pressed there; before that, those of
 * answers the person changed, of answers that follow from them, and those found from loaded
 * data. Names made from an invalid pool name say so instead of repeating its problem.
 */
export function visibleProblems(
  draft: Draft,
  problems: Record<string, string>,
  options: { checked: boolean; touched: readonly string[]; found: Record<string, string> },
): Record<string, string> {
  const touched = (path: string) => options.touched.some((t) => isUnder(path, t))
  const shown: Record<string, string> = {}
  for (const [path, message] of Object.entries(problems)) {
    if (options.checked || touched(path) || derivedFrom[path]?.some((source) => touched(source)))
      shown[path] = explainDerived(draft, problems, path) ?? message
  }
  return { ...shown, ...options.found }
}

/** For a name made from the pool name while the pool name is not valid: that reason. */
function explainDerived(
  draft: Draft,
  problems: Record<string, string>,
  path: string,
): string | undefined {
  if (!problems.poolName) return undefined
  const name = draft.poolName
  const derived =
    (path.startsWith('resourceGroup') &&
      draft.resourceGroup.mode === 'new' &&
      draft.resourceGroup.name === `${name}-rg`) ||
    (path === 'network.dnsLabel' &&
      draft.network.access === 'Public' &&
      draft.network.dnsLabel === name) ||
    (path === 'storage.accountName' &&
      draft.storage.mode === 'new' &&
      draft.storage.accountName === suggestStorageAccountName(name))
  return derived
    ? `Made from the pool name “${name}”, which is not valid yet: it follows once the pool name is fixed on Basics.`
    : undefined
}

/** The problem of a field (or of anything below it). */
export function problemAt(problems: Record<string, string>, path: string): string | undefined {
  return problems[path] ?? Object.entries(problems).find(([p]) => p.startsWith(`${path}.`))?.[1]
}

/** A copy of `draft` with the value at a dotted path replaced. */
export function withField(draft: Draft, path: string, value: unknown): Draft {
  const keys = path.split('.')
  const copy = structuredClone(draft) as unknown as Record<string, unknown>
  let target = copy
  for (const key of keys.slice(0, -1)) {
    target[key] = { ...(target[key] as Record<string, unknown>) }
    target = target[key] as Record<string, unknown>
  }
  target[keys.at(-1)!] = value
  return copy as unknown as Draft
}

/** A new pool name also renames what was named after the old one (unless the person changed it). */
export function renamePool(draft: Draft, poolName: string): Draft {
  const old = draft.poolName
  const next = structuredClone(draft)
  next.poolName = poolName
  if (draft.resourceGroup.mode === 'new' && draft.resourceGroup.name === `${old}-rg`)
    next.resourceGroup.name = `${poolName}-rg`
  if (draft.network.access === 'Public' && draft.network.dnsLabel === old)
    next.network = { access: 'Public', dnsLabel: poolName }
  if (draft.storage.mode === 'new' && draft.storage.accountName === suggestStorageAccountName(old))
    next.storage.accountName = suggestStorageAccountName(poolName)
  return next
}

/** Answers from an imported parameter file laid over the current ones. */
export function mergeImported(draft: Draft, imported: PoolSpecDraft): Draft {
  const next = structuredClone(draft) as unknown as Record<string, unknown>
  for (const [key, value] of Object.entries(imported)) {
    if (value === undefined) continue
    const current = next[key]
    next[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object'
        ? { ...(current as object), ...(value as object) }
        : value
  }
  const merged = next as unknown as Draft
  if (imported.poolName && !imported.storage?.accountName && merged.storage.mode === 'new')
    merged.storage.accountName = suggestStorageAccountName(imported.poolName)
  if (imported.poolName && merged.resourceGroup.mode === 'new' && !imported.resourceGroup)
    merged.resourceGroup.name = `${imported.poolName}-rg`
  if (imported.poolName && merged.network.access === 'Public' && !imported.network)
    merged.network = { access: 'Public', dnsLabel: imported.poolName }
  if (
    imported.osType === 'Windows' &&
    merged.storage.mountpointPath.startsWith('/') &&
    !imported.storage?.mountpointPath
  )
    merged.storage.mountpointPath = 'Z:'
  return merged
}
