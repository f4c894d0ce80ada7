import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sandboxCloud } from '../../../electron/azure/auth/clouds'
import type { ArmContext } from '../../../electron/azure/arm-context'
import { armClients } from '../../../electron/azure/deploy/clients'
import { templateFiles } from '../../../electron/azure/deploy/template-files'
import { SshCertificates } from '../../../electron/azure/ssh-cert/certificates'
import { mayLogInToPool, usesEntraSshLogin } from '../../../electron/azure/ssh-cert/entra-login'
import { MyPoolAccountsFile } from '../../../electron/azure/team/my-pool-accounts'
import {
  PoolAccountsService,
  type PoolAccountsPool,
} from '../../../electron/azure/team/pool-accounts-service'
import { TeamService } from '../../../electron/azure/team/team-service'
import { ConnectService, type ConnectTarget } from '../../../electron/connect/connect-service'
import { ConnectPreferencesFile } from '../../../electron/connect/preferences'
import { chooseSshIdentity } from '../../../electron/connect/ssh-identity'
import type { PoolInstance, PoolSummary } from '../../../shared/pools'
import { RecordingLauncher } from '../../unit/connect/fake-launcher'
import { appAuth, type AppAuth } from '../identity/app-auth'
import { startTestSandbox, type TestSandbox } from '../sandbox/harness'
import { deployPool, poolSpec } from '../pool-template/deploy'

/*
 * Grace's own pool account in every SSH path, through the real SDK clients and MSAL against
 * the sandbox: after she makes her account, her ssh command, her ~/.ssh/config block and her
 * VS Code link use her user and her key (also after a restart); an Entra login role wins over
 * it; once Ada removes her account, Grace's command no longer uses it.
 */

const ada = 'ada@contoso.example'
const grace = 'grace@contoso.example'
const group = 'gracepool-rg'
const poolName = 'gracepool'

let test: TestSandbox
let auth: AppAuth
let graceAccountId: string
let sshDir: string
let dataDir: string
let pool: PoolSummary
let entraLogin: boolean

const poolId = () =>
  `/subscriptions/${test.sandbox.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachineScaleSets/${poolName}`

const contextOf = (username: string): ArmContext => ({
  cloud: sandboxCloud(test.sandbox),
  subscriptionId: test.sandbox.subscriptionId,
  tenantId: test.sandbox.tenantId,
  accountId: username,
  credential: test.credential(username),
  tlsCa: test.sandbox.caCert,
})

const accountsPool = (): PoolAccountsPool => ({
  id: poolId(),
  name: poolName,
  subscriptionId: test.sandbox.subscriptionId,
  resourceGroup: group,
  os: 'Linux',
  adminUsername: 'dsvmadmin',
  storage: { resourceGroup: group, account: `${poolName}files`, share: 'notebooks' },
})

/** A fresh service each time, as after a restart: only the record file and ~/.ssh carry over. */
const poolAccountsAs = (username: string) =>
  new PoolAccountsService({
    context: async () => contextOf(username),
    pool: async () => accountsPool(),
    files: templateFiles(),
    sshDir,
    mine: new MyPoolAccountsFile(join(dataDir, 'my-pool-accounts.json')),
  })

const teamAs = (username: string) =>
  new TeamService({
    context: async () => contextOf(username),
    pool: async (id) => ({
      id,
      name: poolName,
      subscriptionId: test.sandbox.subscriptionId,
      resourceGroup: group,
    }),
  })

/** Grace's connect service: the target as the app builds it (app-services.ts), for her. */
function graceConnect(launcher = new RecordingLauncher(['code'])): ConnectService {
  const certificates = new SshCertificates({
    sshDir,
    request: (account, tenant, key, force) => auth.auth.sshCertificate(account, key, tenant, force),
  })
  const instance = {
    instanceId: '0',
    sshPort: 50000,
    powerState: 'running',
    provisioningState: 'Succeeded',
  } as PoolInstance
  return new ConnectService({
    target: async (): Promise<ConnectTarget> => {
      const { entra, poolAccount } = await chooseSshIdentity({
        entraLogin,
        poolAccount: () => poolAccountsAs(grace).login(poolId()),
        mayUseEntraLogin: () => mayLogInToPool(contextOf(grace), group),
        entraCertificate: () => certificates.for(graceAccountId, test.sandbox.tenantId),
      })
      return {
        pool,
        instances: [instance],
        adminUsername: 'dsvmadmin',
        ...(entra ? { entra } : {}),
        ...(poolAccount ? { poolAccount } : {}),
      }
    },
    launcher,
    openUrl: async () => 'opened' as const,
    screenReachable: () => true,
    preferences: new ConnectPreferencesFile(join(dataDir, 'connect.json')),
    platform: 'linux',
    env: {},
    home: sshDir,
    sshDir,
    tempDir: dataDir,
  })
}

beforeAll(async () => {
  test = await startTestSandbox()
  const { deployment } = await deployPool(
    test,
    poolSpec(test, {
      poolName,
      instanceCount: 1,
      autoscale: { enabled: false, minimum: 0, maximum: 2, default: 1, schedule: null },
    }),
  )
  const outputs = deployment.properties!.outputs as Record<string, { value: string }>
  pool = {
    id: poolId(),
    name: poolName,
    os: 'Linux',
    jupyterHubUrl: outputs.jupyterHubUrl!.value,
  } as PoolSummary
  const scaleSet = await armClients(contextOf(ada)).compute.virtualMachineScaleSets.get(
    group,
    poolName,
  )
  entraLogin = usesEntraSshLogin(scaleSet)
  auth = appAuth(test.sandbox)
  auth.nextUser = grace
  graceAccountId = (await auth.auth.signIn({ method: 'browser' })).id
  sshDir = mkdtempSync(join(tmpdir(), 'dsvm-grace-ssh-'))
  dataDir = mkdtempSync(join(tmpdir(), 'dsvm-grace-data-'))
}, 300_000)
afterAll(async () => {
  await test?.close()
  for (const dir of [sshDir, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('a member’s own pool account in every SSH path', { timeout: 300_000 }, () => {
  it('Grace makes her account; her ssh command, config block and VS Code link use her user and key', async () => {
    // The template's pool carries the Entra ID login, but Grace holds no login role there.
    expect(entraLogin).toBe(true)
    expect(await mayLogInToPool(contextOf(grace), group)).toBe(false)

    // Members sign in with Microsoft accounts here: pool accounts are the fallback, until
    // Grace has one.
    expect(await poolAccountsAs(grace).wayIn(poolId())).toEqual({ mode: 'fallback' })
    const mine = await poolAccountsAs(grace).setMine(poolId(), 'grace', 'grace hopper cobol 1959')
    expect(await poolAccountsAs(grace).wayIn(poolId())).toEqual({ mode: 'accounts' })
    expect(mine.privateKeyPath).toBe(join(sshDir, `dsvm-${poolName}-grace`))
    const host = new URL(pool.jupyterHubUrl!).hostname

    const launcher = new RecordingLauncher(['code'])
    const connect = graceConnect(launcher)
    expect((await connect.sshPlan(poolId())).command).toBe(
      `ssh -i ${mine.privateKeyPath} -p 50000 grace@${host}`,
    )
    expect(await connect.vscode(poolId(), '0')).toEqual({
      uri: `vscode://vscode-remote/ssh-remote+${poolName}-0/home/grace`,
    })
    const config = readFileSync(join(sshDir, 'config'), 'utf8')
    expect(config).toContain(
      [
        `Host ${poolName}-0`,
        `  HostName ${host}`,
        '  Port 50000',
        '  User grace',
        `  IdentityFile "${mine.privateKeyPath}"`,
        '  IdentitiesOnly yes',
      ].join('\n'),
    )
    expect(config).not.toContain('CertificateFile')
    // ssh itself reads the block as her user and her key.
    const resolved = execFileSync('ssh', ['-G', '-F', join(sshDir, 'config'), `${poolName}-0`], {
      encoding: 'utf8',
    })
    expect(resolved).toContain('user grace\n')
    expect(resolved).toContain(`identityfile ${mine.privateKeyPath}\n`)
  })

  it('once Ada makes Grace a User (a login role), the Entra certificate wins over her account', async () => {
    const team = teamAs(ada)
    const [found] = await team.search(poolId(), 'hop')
    await team.add(poolId(), found!.id, 'User')
    expect(await mayLogInToPool(contextOf(grace), group)).toBe(true)
    const command = (await graceConnect().sshPlan(poolId())).command
    expect(command).toContain(`-o CertificateFile=`)
    expect(command).toMatch(/ grace@contoso\.example@/)

    await team.remove(poolId(), found!.id)
    expect(await mayLogInToPool(contextOf(grace), group)).toBe(false)
    expect((await graceConnect().sshPlan(poolId())).command).toMatch(/ grace@[^@]+$/)
  })

  it('after Ada removes Grace’s account, Grace’s command no longer uses it', async () => {
    await poolAccountsAs(ada).remove(poolId(), 'grace')
    const keyPath = join(sshDir, `dsvm-${poolName}-grace`)
    const connect = graceConnect()
    const command = (await connect.sshPlan(poolId())).command
    expect(command).not.toContain(keyPath)
    expect(command).not.toMatch(/ grace@[^@]+$/)
    // The pool has the Entra ID login: Grace is offered her Entra certificate instead.
    expect(command).toMatch(/ grace@contoso\.example@/)
    await connect.writeSshConfig(poolId())
    const config = readFileSync(join(sshDir, 'config'), 'utf8')
    expect(config).not.toContain(`IdentityFile "${keyPath}"`)
    expect(config).not.toContain('  User grace\n')
  })
})
