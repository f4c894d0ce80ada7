import { describe, expect, it, vi } from 'vitest'
import { callNames, calls, type CallInput, type CallName } from '../../../shared/api'
import { AppError } from '../../../shared/errors'
import type { Handlers } from '../../../electron/ipc/handlers'
import { createRouter } from '../../../electron/ipc/router'

/*
 * The IPC contract: every call in shared/api.ts validates its input before any handler runs.
 * The malformed cases run over callNames, so a call added later is covered without editing
 * this file.
 */

function spyHandlers() {
  const spies = new Map<CallName, ReturnType<typeof vi.fn>>()
  const handlers = Object.fromEntries(
    callNames.map((name) => {
      const spy = vi.fn(async () => sampleOutputs[name])
      spies.set(name, spy)
      return [name, spy]
    }),
  ) as unknown as Handlers
  return { handlers, spies }
}

const account = {
  id: 'a1a1a1a1-0000-4000-8000-00000000ada0.72f988bf-0000-4000-8000-00000000c0de',
  username: 'ada@contoso.example',
  name: 'Ada Lovelace',
  tenantId: '72f988bf-0000-4000-8000-00000000c0de',
  cloud: 'Sandbox',
  signedIn: true,
}
const settings = {
  cloud: 'AzureCloud',
  chosenSubscriptionIds: [],
  closeToTray: true,
  theme: 'system',
}

const costSpec = {
  region: 'eastus',
  vmSize: 'Standard_D4s_v5',
  os: 'Linux',
  priority: 'Regular',
  instanceCount: 2,
  osDisk: { storageAccountType: 'Premium_LRS', sizeGiB: 128 },
  share: { tier: 'Premium', redundancy: 'LRS', sizeGiB: 100 },
  network: { publicIps: 1, loadBalancerRules: 1 },
} as const
const costScope = {
  accountId: account.id,
  subscriptionId: '00000000-0000-4000-8000-000000000001',
  resourceGroup: 'rg-team-pool',
}
const projection = {
  month: '2026-11',
  monthToDate: 1,
  projected: 2,
  dailyRate: 0.5,
  basisDays: 1,
  remainingDays: 2,
  daysInMonth: 30,
}

const samplePoolId =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool'
const sampleStarted = { accepted: true, message: 'Scaling to 2…' }
const sampleSchedule = {
  enabled: true,
  minimum: 0,
  default: 1,
  maximum: 3,
  scaleOut: { cpuAbovePercent: 75, minutes: 10, by: 1 },
  scaleIn: { cpuBelowPercent: 20, minutes: 10, by: 1 },
  cooldownMinutes: 10,
}
/** Run a pool: sample answers and valid inputs (issue 5). */
const poolSamples: Partial<Record<CallName, unknown>> = {
  'pools.list': { pools: [], status: { intervalMs: 20000 } },
  'pools.refresh': { refreshed: true },
  'pools.instances': [],
  'pools.scale': sampleStarted,
  'pools.startAll': sampleStarted,
  'pools.stopAll': sampleStarted,
  'pools.instanceAction': sampleStarted,
  'pools.delete': sampleStarted,
  'pools.rotateStorageKey': { keyName: 'key2', message: 'The storage key was rotated.' },
  'pools.setScaledToZero': sampleStarted,
  'pools.keepUntil': sampleStarted,
  'pools.endOverride': sampleStarted,
  'pools.autoscale': {},
  'pools.saveAutoscale': { schedule: sampleSchedule, version: 'abc' },
}
const poolInputs: { [N in CallName]?: CallInput<N> } = {
  'pools.list': {},
  'pools.refresh': {},
  'pools.instances': { poolId: samplePoolId },
  'pools.scale': { poolId: samplePoolId, capacity: 2, etag: '"3"' },
  'pools.startAll': { poolId: samplePoolId },
  'pools.stopAll': { poolId: samplePoolId },
  'pools.instanceAction': { poolId: samplePoolId, instanceId: '3', action: 'protect' },
  'pools.delete': { poolId: samplePoolId, confirmName: 'team-pool' },
  'pools.rotateStorageKey': { poolId: samplePoolId },
  'pools.setScaledToZero': { poolId: samplePoolId, on: true },
  'pools.keepUntil': { poolId: samplePoolId, until: '2026-12-07T20:00:00.000Z' },
  'pools.endOverride': { poolId: samplePoolId },
  'pools.autoscale': { poolId: samplePoolId },
  'pools.saveAutoscale': { poolId: samplePoolId, schedule: sampleSchedule, version: 'abc' },
}

/** Create a pool: sample answers and valid inputs (issue 4). */
const sampleSubscriptionId = '00000000-0000-4000-8000-000000000001'
const sampleSpec: CallInput<'deploy.start'>['spec'] = {
  subscriptionId: sampleSubscriptionId,
  resourceGroup: { mode: 'new', name: 'team-pool-rg' },
  location: 'westeurope',
  poolName: 'team-pool',
  osType: 'Linux',
  vmSku: 'Standard_D4s_v5',
  instanceCount: 2,
  priority: 'Regular',
  evictionPolicy: 'Deallocate',
  maxPrice: -1,
  autoscale: { enabled: true, minimum: 0, maximum: 4, default: 2, schedule: null },
  adminUsername: 'dsvmadmin',
  sshPublicKey:
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ada@laptop',
  allowedSourceRanges: ['203.0.113.0/24'],
  network: { access: 'Public', dnsLabel: 'team-pool' },
  storage: {
    mode: 'new',
    accountName: 'teampoolfiles',
    shareName: 'notebooks',
    mountpointPath: '/mnt/dsvmshare',
  },
  tags: {},
}
const sampleRef = {
  subscriptionId: sampleSubscriptionId,
  resourceGroup: 'team-pool-rg',
  deploymentName: 'dsvm-pool-team-pool',
}
const sampleStatus = {
  ref: sampleRef,
  poolName: 'team-pool',
  state: 'Running',
  startedAt: '2026-11-28T00:00:00.000Z',
  elapsedSeconds: 5,
  resources: [],
  failures: [],
}
const deploySamples: Partial<Record<CallName, unknown>> = {
  'wizard.regions': [{ name: 'westeurope', displayName: 'West Europe' }],
  'wizard.resourceGroups': [],
  'wizard.storageAccounts': [],
  'wizard.vmSizes': [],
  'wizard.sizePrices': [],
  'wizard.generateSshKey': {
    publicKey: sampleSpec.sshPublicKey,
    privateKeyPath: '/home/ada/.ssh/dsvm-team-pool',
    publicKeyPath: '/home/ada/.ssh/dsvm-team-pool.pub',
  },
  'wizard.readPublicKey': { publicKey: sampleSpec.sshPublicKey },
  'wizard.importParameters': { format: 'dsvm-pool', spec: {}, notUnderstood: [] },
  'wizard.publicAddress': {
    address: '203.0.113.57',
    range: '203.0.113.57/32',
    source: 'the sandbox (a stand-in address)',
  },
  'wizard.review': {
    deploymentName: 'dsvm-pool-team-pool',
    parameterFile: {},
    exportFile: {},
    azCommands: [],
  },
  'deploy.preflight': { checks: [], ready: true },
  'deploy.whatIf': { source: 'newGroup', changes: [] },
  'deploy.acceptTerms': { accepted: true },
  'deploy.start': sampleStatus,
  'deploy.status': sampleStatus,
  'deploy.cancel': sampleStatus,
  'deploy.list': [],
}
const deployInputs: { [N in CallName]?: CallInput<N> } = {
  'wizard.regions': { subscriptionId: sampleSubscriptionId },
  'wizard.resourceGroups': { subscriptionId: sampleSubscriptionId },
  'wizard.storageAccounts': { subscriptionId: sampleSubscriptionId },
  'wizard.vmSizes': {
    subscriptionId: sampleSubscriptionId,
    location: 'westeurope',
    priority: 'Spot',
  },
  'wizard.sizePrices': {
    location: 'westeurope',
    osType: 'Linux',
    priority: 'Regular',
    sizes: ['Standard_D4s_v5'],
  },
  'wizard.generateSshKey': { poolName: 'team-pool' },
  'wizard.readPublicKey': { text: sampleSpec.sshPublicKey! },
  'wizard.importParameters': { text: '{"parameters":{}}' },
  'wizard.publicAddress': {},
  'wizard.review': { spec: sampleSpec },
  'deploy.preflight': { spec: sampleSpec },
  'deploy.whatIf': { spec: sampleSpec },
  'deploy.acceptTerms': {
    subscriptionId: sampleSubscriptionId,
    publisher: 'contoso-ml',
    offer: 'dsvm-plus',
    plan: 'gpu-2204',
  },
  'deploy.start': { spec: sampleSpec },
  'deploy.status': sampleRef,
  'deploy.cancel': sampleRef,
  'deploy.list': {},
}

/** Connect: sample answers and valid inputs (issue 7). */
const connectSamples: Partial<Record<CallName, unknown>> = {
  'connect.available': { vscode: true },
  'connect.openJupyterHub': {
    opened: false,
    url: 'https://team-pool.westeurope.cloudapp.azure.com:8000/',
    certificateNote: 'The Data Science VM’s JupyterHub uses a self-signed certificate.',
  },
  'connect.ssh': {
    opened: true,
    terminal: 'xterm',
    command: 'ssh -p 50000 dsvmadmin@team-pool.example',
  },
  'connect.copySshCommand': { command: 'ssh -p 50000 dsvmadmin@team-pool.example' },
  'connect.vscode': { uri: 'vscode://vscode-remote/ssh-remote+team-pool-0/home/dsvmadmin' },
  'connect.rdp': { file: '/tmp/dsvm-pool-manager/win-pool-0.rdp' },
  'connect.checkMount': {
    host: 'stteampoolfiles.file.core.windows.net',
    reachable: false,
    reason: 'blocked',
  },
  'connect.mount': { where: 'Z:' },
  'files.open': {
    account: 'stteampoolfiles',
    share: 'notebooks',
    home: 'notebooks/ada',
    entries: [],
  },
  'files.list': [{ name: 'a.ipynb', path: 'notebooks/ada/a.ipynb', kind: 'file', size: 10 }],
  'files.createFolder': { path: 'notebooks/ada/drafts' },
  'files.rename': { path: 'notebooks/ada/b.ipynb' },
  'files.delete': { deleted: true },
  'files.uploadStart': { transferId: '6f1c2a4e-1d7b-4c38-9a51-2f0d3e8b7c11', chunkBytes: 524288 },
  'files.uploadChunk': { received: 3, done: true },
  'files.download': { transferId: '6f1c2a4e-1d7b-4c38-9a51-2f0d3e8b7c11' },
  'files.cancel': { cancelled: true },
  'files.uploadResolve': { path: 'notebooks/ada/a (1).ipynb' },
  'files.existing': [
    {
      name: 'a.ipynb',
      path: 'notebooks/ada/a.ipynb',
      kind: 'file',
      size: 10,
      etag: '"0x8DC2F1A2B3C4D5E"',
      lastChanged: '2026-12-06T08:00:00.000Z',
      changedBy: 'grace@contoso.example',
      keepBothName: 'a (1).ipynb',
    },
  ],
  'files.folderSummary': { files: 3, folders: 1, bytes: 60, complete: true },
  'files.showDownload': { shown: true },
}
const connectInputs: { [N in CallName]?: CallInput<N> } = {
  'connect.available': {},
  'connect.openJupyterHub': { poolId: samplePoolId, acknowledgeCertificateNote: true },
  'connect.ssh': { poolId: samplePoolId, instanceId: '3' },
  'connect.copySshCommand': { poolId: samplePoolId },
  'connect.vscode': { poolId: samplePoolId, instanceId: '0' },
  'connect.rdp': { poolId: samplePoolId, instanceId: '0' },
  'connect.checkMount': { poolId: samplePoolId },
  'connect.mount': { poolId: samplePoolId },
  'files.open': { poolId: samplePoolId },
  'files.list': { poolId: samplePoolId, path: 'notebooks/ada' },
  'files.createFolder': { poolId: samplePoolId, parent: '', name: 'drafts' },
  'files.rename': {
    poolId: samplePoolId,
    path: 'notebooks/a.ipynb',
    kind: 'file',
    newName: 'b.ipynb',
  },
  'files.delete': { poolId: samplePoolId, path: 'notebooks/old', kind: 'folder' },
  'files.uploadStart': { poolId: samplePoolId, path: 'notebooks/ada/a.ipynb', size: 3 },
  'files.uploadChunk': {
    transferId: '6f1c2a4e-1d7b-4c38-9a51-2f0d3e8b7c11',
    offset: 0,
    data: 'e30K',
  },
  'files.download': { poolId: samplePoolId, path: 'notebooks/ada/a.ipynb' },
  'files.cancel': { transferId: '6f1c2a4e-1d7b-4c38-9a51-2f0d3e8b7c11' },
  'files.uploadResolve': {
    transferId: '6f1c2a4e-1d7b-4c38-9a51-2f0d3e8b7c11',
    onExisting: { replace: '"0x8DC2F1A2B3C4D5E"' },
  },
  'files.existing': { poolId: samplePoolId, folder: 'notebooks/ada', names: ['a.ipynb'] },
  'files.folderSummary': { poolId: samplePoolId, path: 'notebooks/ada/drafts' },
  'files.showDownload': { transferId: '6f1c2a4e-1d7b-4c38-9a51-2f0d3e8b7c11' },
}

/** Team access: sample answers and valid inputs (issue 11). */
const graceId = 'b2b2b2b2-0000-4000-8000-0000000067ac'
const sampleTeam = {
  poolId: samplePoolId,
  members: [
    {
      id: graceId,
      displayName: 'Grace Hopper',
      email: 'grace@contoso.example',
      guest: false,
      role: 'User',
      missing: [],
      isMe: true,
    },
  ],
  me: { id: graceId, displayName: 'Grace Hopper', email: 'grace@contoso.example', guest: false },
  canManage: false,
  reason: 'You are Contributor on this subscription: …',
  admins: [],
}
const teamSamples: Partial<Record<CallName, unknown>> = {
  'team.members': sampleTeam,
  'team.search': sampleTeam.members.map(({ id, displayName, email, guest }) => ({
    id,
    displayName,
    email,
    guest,
  })),
  'team.add': sampleTeam,
  'team.setRole': sampleTeam,
  'team.remove': sampleTeam,
  'team.joinRequest': { text: 'Hello Ada, …', to: [] },
  'team.setUpEntra': { added: true, upgradedInstances: ['0'] },
  'team.accessStatus': {
    entraLogin: true,
    jupyterHub: {
      microsoftAccounts: true,
      appId: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
      secretEndsAt: '2028-12-06T12:00:00.000Z',
      renewDue: false,
    },
  },
  'team.renewJupyterHubSecret': {
    secretEndsAt: '2028-12-06T12:00:00.000Z',
    upgradedInstances: ['0', '1'],
  },
  'wizard.teamAccessDefault': { choice: 'entra', reason: 'You may assign roles here.' },
  'team.poolAccounts': { accounts: [{ user: 'alan', keyComment: 'alan@team-pool' }] },
  'team.poolAccounts.setMine': {
    accounts: [{ user: 'alan', keyComment: 'alan@team-pool' }],
    user: 'alan',
    privateKeyPath: '/home/alan/.ssh/dsvm-team-pool-alan',
  },
  'team.poolAccounts.remove': { accounts: [] },
  'team.poolAccounts.wayIn': { mode: 'fallback' },
}
const teamInputs: { [N in CallName]?: CallInput<N> } = {
  'team.members': { poolId: samplePoolId },
  'team.search': { poolId: samplePoolId, text: 'grace' },
  'team.add': { poolId: samplePoolId, userId: graceId, role: 'User' },
  'team.setRole': { poolId: samplePoolId, userId: graceId, role: 'Manager' },
  'team.remove': { poolId: samplePoolId, userId: graceId },
  'team.joinRequest': { poolId: samplePoolId },
  'team.setUpEntra': { poolId: samplePoolId },
  'team.accessStatus': { poolId: samplePoolId },
  'team.renewJupyterHubSecret': { poolId: samplePoolId },
  'wizard.teamAccessDefault': {
    subscriptionId: '00000000-0000-4000-8000-000000000001',
    resourceGroup: 'team-pool-rg',
  },
  'team.poolAccounts': { poolId: samplePoolId },
  'team.poolAccounts.setMine': {
    poolId: samplePoolId,
    user: 'alan',
    password: 'a long enough password',
  },
  'team.poolAccounts.remove': { poolId: samplePoolId, user: 'alan' },
  'team.poolAccounts.wayIn': { poolId: samplePoolId },
}

const sampleOutputs: Partial<Record<CallName, unknown>> = {
  ...teamSamples,
  ...connectSamples,
  ...poolSamples,
  ...deploySamples,
  'app.info': { version: '0.1.0', platform: 'linux', shell: 'web', sandboxRunning: false },
  'settings.get': settings,
  'settings.update': settings,
  'sandbox.start': { cloud: 'Sandbox' },
  'auth.accounts': [account],
  'auth.signIn': account,
  'auth.cancelSignIn': { cancelled: true },
  'auth.signOut': { signedOut: true },
  'subscriptions.list': [],
  'links.open': { opened: true },
  'cost.estimate': {
    estimate: {
      currency: 'USD',
      perHourRunning: 1,
      perMonthAlwaysOn: 730,
      perMonthOnSchedule: 730,
      savingsPerMonth: 0,
      scheduledHoursPerMonth: 730,
      parts: [
        { part: 'compute', perHourRunning: 1, perMonthAlwaysOn: 730, perMonthOnSchedule: 730 },
      ],
    },
    rates: {
      currency: 'USD',
      computePerHour: 0.192,
      osDiskPerMonth: 19.71,
      sharePerGiBMonth: 0.16,
      publicIpPerHour: 0.005,
      loadBalancerPerHour: 0.025,
      loadBalancerRulePerHour: 0.01,
    },
    asOf: '2026-11-27T10:00:00.000Z',
    stale: false,
  },
  'cost.spend': {
    subscriptionId: costScope.subscriptionId,
    resourceGroup: costScope.resourceGroup,
    currency: 'USD',
    days: [{ date: '2026-11-01', total: 1, byService: { Storage: 1 } }],
    services: ['Storage'],
    monthToDate: 1,
    projection,
    fetchedAt: '2026-11-01T10:00:00.000Z',
    fromCache: false,
  },
  'cost.poolSpend': {
    subscriptionId: costScope.subscriptionId,
    resourceGroup: costScope.resourceGroup,
    currency: 'USD',
    days: [{ date: '2026-11-01', total: 1, byService: { Storage: 1 } }],
    services: ['Storage'],
    monthToDate: 1,
    projection,
    fetchedAt: '2026-11-01T10:00:00.000Z',
    fromCache: false,
    budget: {
      budget: 2,
      actualRatio: 0.5,
      projectedRatio: 1,
      level: 'over',
      alerts: [{ basis: 'projected', threshold: 100, amount: 2 }],
    },
  },
  'cost.setBudget': { budget: 500 },
}

/** A valid input for each call this file knows; the router must pass them to the handler. */
const validInputs: { [N in CallName]?: CallInput<N> } = {
  ...teamInputs,
  ...connectInputs,
  ...poolInputs,
  ...deployInputs,
  'app.info': {},
  'settings.get': {},
  'settings.update': {
    theme: 'dark',
    chosenSubscriptionIds: ['00000000-0000-4000-8000-000000000001'],
  },
  'sandbox.start': {},
  'auth.accounts': {},
  'auth.signIn': { method: 'deviceCode' },
  'auth.cancelSignIn': {},
  'auth.signOut': { accountId: account.id },
  'subscriptions.list': {},
  'links.open': { url: 'https://portal.azure.com/#home' },
  'cost.estimate': {
    spec: costSpec,
    schedule: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
    currency: 'EUR',
  },
  'cost.spend': { ...costScope, refresh: true },
  'cost.poolSpend': {
    poolId: `/subscriptions/${costScope.subscriptionId}/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool`,
    refresh: true,
  },
  'cost.setBudget': {
    poolId: `/subscriptions/${costScope.subscriptionId}/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool`,
    budget: 500,
    etag: '"3"',
  },
}

/** Inputs that are wrong for every call: wrong types, and objects with a key no call declares. */
const malformedForEveryCall: Array<[string, unknown]> = [
  ['null', null],
  ['a number', 42],
  ['a string', 'auth.signIn'],
  ['a boolean', true],
  ['an array', [{}]],
  ['an unknown key', { unexpected: 1 }],
  ['a prototype key', JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}')],
]

/** Inputs that are wrong for one call in particular. */
const malformedForOneCall: Array<[CallName, unknown]> = [
  ['team.search', { poolId: samplePoolId, text: '' }],
  ['team.search', { poolId: samplePoolId, text: 'x'.repeat(101) }],
  ['team.search', { poolId: samplePoolId, text: 'a\u0000b' }],
  ['team.add', { poolId: samplePoolId, userId: 'grace@contoso.example', role: 'User' }],
  ['team.add', { poolId: samplePoolId, userId: graceId, role: 'Owner' }],
  ['team.remove', { poolId: samplePoolId }],
  ['team.poolAccounts.setMine', { poolId: samplePoolId, user: 'alan', password: 'short' }],
  [
    'team.poolAccounts.setMine',
    { poolId: samplePoolId, user: 'Alan; rm', password: 'x'.repeat(12) },
  ],
  ['team.poolAccounts.remove', { poolId: samplePoolId, user: '../root' }],
  ['team.poolAccounts.wayIn', { poolId: 'team pool' }],
  ['connect.ssh', { poolId: samplePoolId, instanceId: '0; rm -rf ~' }],
  ['connect.vscode', { poolId: 'team pool' }],
  ['files.list', { poolId: samplePoolId, path: '/etc' }],
  ['files.createFolder', { poolId: samplePoolId, parent: '', name: 'a/b' }],
  [
    'files.uploadChunk',
    { transferId: '6f1c2a4e-1d7b-4c38-9a51-2f0d3e8b7c11', offset: 0, data: 'not base64!' },
  ],
  ['files.uploadStart', { poolId: samplePoolId, path: 'x', size: -1 }],
  ['files.uploadStart', { poolId: samplePoolId, path: 'x', size: 1, onExisting: 'overwrite' }],
  [
    'files.uploadResolve',
    { transferId: '6f1c2a4e-1d7b-4c38-9a51-2f0d3e8b7c11', onExisting: { replace: '' } },
  ],
  ['files.existing', { poolId: samplePoolId, folder: 'notebooks', names: ['../etc/passwd'] }],
  ['files.existing', { poolId: samplePoolId, folder: 'notebooks', names: [] }],
  ['files.folderSummary', { poolId: samplePoolId, path: '' }],
  ['files.showDownload', { transferId: '/home/ada/.ssh/id_rsa' }],
  ['settings.update', { cloud: 'Mars' }],
  ['settings.update', { theme: 'blue' }],
  ['settings.update', { chosenSubscriptionIds: ['not-a-guid'] }],
  ['settings.update', { chosenSubscriptionIds: 'x' }],
  ['settings.update', { clientId: 'my-app' }],
  ['settings.update', { closeToTray: 'yes' }],
  ['auth.signIn', {}],
  ['auth.signIn', { method: 'password' }],
  ['auth.signIn', { method: 'browser', username: 'ada' }],
  ['auth.signIn', { method: 'browser', tenantId: 'contoso.example' }],
  ['auth.signOut', {}],
  ['auth.signOut', { accountId: '' }],
  ['auth.signOut', { accountId: 'a b' }],
  ['auth.signOut', { accountId: '../../etc/passwd' }],
  ['auth.signOut', { accountId: 'x'.repeat(201) }],
  ['links.open', {}],
  ['links.open', { url: 'not a url' }],
  ['links.open', { url: 42 }],
  ['links.open', { url: `https://portal.azure.com/${'a'.repeat(2100)}` }],
  ['cost.estimate', {}],
  ['cost.estimate', { spec: { ...costSpec, region: "eastus' or 1 eq 1" } }],
  ['cost.estimate', { spec: { ...costSpec, instanceCount: -1 } }],
  [
    'cost.estimate',
    { spec: { ...costSpec, osDisk: { storageAccountType: 'Ultra', sizeGiB: 128 } } },
  ],
  ['cost.estimate', { spec: { ...costSpec, extra: 1 } }],
  ['cost.estimate', { spec: costSpec, currency: 'euro' }],
  ['cost.estimate', { spec: costSpec, schedule: { days: [7], start: '08:00', end: '18:00' } }],
  ['cost.estimate', { spec: costSpec, schedule: { days: [1], start: '8am', end: '18:00' } }],
  ['cost.spend', { ...costScope, subscriptionId: 'sub' }],
  ['cost.spend', { ...costScope, resourceGroup: '../rg' }],
  ['cost.spend', { ...costScope, resourceGroup: '' }],
]

/** Deterministic random JSON values (a small property-based sweep without a library). */
function* randomJunk(seed: number, count: number): Generator<unknown> {
  let state = seed
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const value = (depth: number): unknown => {
    const pick = Math.floor(next() * 7)
    if (depth > 2 || pick === 0) return Math.floor(next() * 1000) - 500
    if (pick === 1) return next().toString(36)
    if (pick === 2) return next() > 0.5
    if (pick === 3) return null
    if (pick === 4) return [value(depth + 1), value(depth + 1)]
    return object(depth + 1)
  }
  // Always has a key no schema declares, so every strict input schema must refuse it.
  const object = (depth: number): Record<string, unknown> => {
    const result: Record<string, unknown> = {
      [`x_${next().toString(36).slice(2, 8)}`]: value(depth),
    }
    if (next() > 0.5) result.method = value(depth)
    if (next() > 0.5) result.url = value(depth)
    return result
  }
  for (let i = 0; i < count; i++) yield i % 2 ? object(0) : value(1)
}

describe('router: input validation over every call', () => {
  it('knows a sample answer for every call (keeps this table honest)', () => {
    for (const name of callNames) expect(sampleOutputs, name).toHaveProperty(name)
  })

  describe.each(callNames)('%s', (name) => {
    it.each(malformedForEveryCall)(
      'refuses %s with Validation and never calls the handler',
      async (_label, input) => {
        const { handlers, spies } = spyHandlers()
        const result = await createRouter(handlers).call(name, input)
        expect(result.ok).toBe(false)
        if (!result.ok) {
          expect(result.error.code).toBe('Validation')
          expect(result.error.message).toContain(name)
        }
        for (const spy of spies.values()) expect(spy).not.toHaveBeenCalled()
      },
    )

    it('refuses random junk input with Validation and never calls the handler', async () => {
      const { handlers, spies } = spyHandlers()
      const router = createRouter(handlers)
      for (const input of randomJunk(callNames.indexOf(name) + 1, 60)) {
        const result = await router.call(name, input)
        expect(result, JSON.stringify(input)).toMatchObject({
          ok: false,
          error: { code: 'Validation' },
        })
      }
      for (const spy of spies.values()) expect(spy).not.toHaveBeenCalled()
    })
  })

  it.each(malformedForOneCall)('%s refuses %j', async (name, input) => {
    const { handlers, spies } = spyHandlers()
    const result = await createRouter(handlers).call(name, input)
    expect(result).toMatchObject({ ok: false, error: { code: 'Validation' } })
    expect(spies.get(name)).not.toHaveBeenCalled()
  })

  it('names where the input is wrong without echoing the value sent', async () => {
    const { handlers } = spyHandlers()
    const secret = 'p@ssw0rd-that-must-not-echo'
    const result = await createRouter(handlers).call('auth.signIn', { method: secret })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.details).toMatchObject({
      issues: [expect.objectContaining({ path: 'method' })],
    })
    expect(JSON.stringify(result.error)).not.toContain(secret)
  })

  it.each(Object.entries(validInputs))(
    'passes valid input of %s to its handler only',
    async (name, input) => {
      const { handlers, spies } = spyHandlers()
      const result = await createRouter(handlers).call(name, input)
      expect(result).toEqual({
        ok: true,
        value: calls[name as CallName].output.parse(sampleOutputs[name as CallName]),
      })
      expect(spies.get(name as CallName)).toHaveBeenCalledWith(input)
      for (const [other, spy] of spies) if (other !== name) expect(spy).not.toHaveBeenCalled()
    },
  )

  it('refuses text holding half of a Unicode character before any handler runs', async () => {
    const { handlers, spies } = spyHandlers()
    const router = createRouter(handlers)
    for (const input of [{ method: 'browser\ud800' }, { ['\udfff']: 1 }]) {
      const result = await router.call('auth.signIn', input)
      expect(result).toMatchObject({ ok: false, error: { code: 'Validation' } })
    }
    expect(spies.get('auth.signIn')).not.toHaveBeenCalled()
    // A whole pair (an emoji) is fine as far as this check goes.
    expect(await router.call('auth.signIn', { method: 'browser' })).toMatchObject({ ok: true })
  })

  it('treats a missing input as {} for calls that take none', async () => {
    const { handlers, spies } = spyHandlers()
    const result = await createRouter(handlers).call('app.info', undefined)
    expect(result.ok).toBe(true)
    expect(spies.get('app.info')).toHaveBeenCalledWith({})
  })
})

describe('router: unknown calls', () => {
  it.each([
    ['a name not in the contract', 'pools.deleteEverything'],
    ['an inherited property name', 'constructor'],
    ['__proto__', '__proto__'],
    ['toString', 'toString'],
    ['an empty name', ''],
    ['a number', 7],
    ['null', null],
    ['an object', { name: 'app.info' }],
  ])('refuses %s with Validation', async (_label, name) => {
    const { handlers, spies } = spyHandlers()
    const result = await createRouter(handlers).call(name, {})
    expect(result).toMatchObject({ ok: false, error: { code: 'Validation' } })
    for (const spy of spies.values()) expect(spy).not.toHaveBeenCalled()
  })

  it('does not reflect control characters from an unknown name', async () => {
    const { handlers } = spyHandlers()
    const result = await createRouter(handlers).call('x<script>\n', {})
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).not.toMatch(/<script>|\n/)
  })
})

describe('router: outputs and failures', () => {
  it('strips fields the output schema does not declare', async () => {
    const { handlers } = spyHandlers()
    handlers['auth.signIn'] = async () => ({
      ...account,
      cloud: 'Sandbox' as const,
      accessToken: 'secret-token',
    })
    const result = await createRouter(handlers).call('auth.signIn', { method: 'browser' })
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.value).not.toHaveProperty('accessToken')
  })

  it('answers Unknown when a handler returns something its schema refuses', async () => {
    const { handlers } = spyHandlers()
    const onFailure = vi.fn()
    handlers['links.open'] = async () => ({ opened: 'maybe' }) as never
    const result = await createRouter(handlers, { onFailure }).call('links.open', {
      url: 'https://portal.azure.com',
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'Unknown' } })
    expect(onFailure).toHaveBeenCalledOnce()
  })

  it('passes an AppError through with its code, message and details', async () => {
    const { handlers } = spyHandlers()
    handlers['subscriptions.list'] = async () => {
      throw new AppError('AuthRequired', 'Sign in again to see Contoso.', { accountId: account.id })
    }
    const result = await createRouter(handlers).call('subscriptions.list', {})
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'AuthRequired',
        message: 'Sign in again to see Contoso.',
        details: { accountId: account.id },
      },
    })
  })

  it('never sends a stack or the text of an unexpected exception', async () => {
    const { handlers } = spyHandlers()
    handlers['auth.accounts'] = async () => {
      throw new Error('ENOENT: /home/ada/.secret/token-cache.json')
    }
    const result = await createRouter(handlers).call('auth.accounts', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'Unknown' } })
    const text = JSON.stringify(result)
    expect(text).not.toContain('/home/ada')
    expect(text).not.toContain('at ')
  })

  it('turns a synchronous throw into a Result too', async () => {
    const { handlers } = spyHandlers()
    handlers['settings.get'] = () => {
      throw new TypeError('boom')
    }
    await expect(createRouter(handlers).call('settings.get', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'Unknown' },
    })
  })
})
