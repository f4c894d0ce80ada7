import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SshCertificates } from '../../../electron/azure/ssh-cert/certificates'
import { parseOpenSshCertificate } from '../../../electron/azure/ssh-cert/openssh-cert'
import { ConnectService } from '../../../electron/connect/connect-service'
import { ConnectPreferencesFile } from '../../../electron/connect/preferences'
import type { PoolInstance, PoolSummary } from '../../../shared/pools'
import { RecordingLauncher } from '../../unit/connect/fake-launcher'
import { appAuth, type AppAuth } from '../identity/app-auth'
import { sandboxForFile } from '../sandbox/fixtures'

/*
 * Grace signs in with the app's own MSAL setup and gets an Entra SSH certificate for the
 * app's key: its principal is her sign-in name, it certifies her key, ssh-keygen reads it,
 * and the ssh command and ~/.ssh/config block use it.
 */

const env = sandboxForFile()
let app: AppAuth
let sshDir: string
let accountId: string
let requests = 0
let certificates: SshCertificates

beforeAll(async () => {
  app = appAuth(env.sandbox)
  app.nextUser = 'grace@contoso.example'
  accountId = (await app.auth.signIn({ method: 'browser' })).id
  sshDir = mkdtempSync(join(tmpdir(), 'dsvm-ssh-'))
  certificates = new SshCertificates({
    sshDir,
    request: (account, tenant, key, force) => {
      requests++
      return app.auth.sshCertificate(account, key, tenant, force)
    },
  })
})
afterAll(async () => {
  rmSync(sshDir, { recursive: true, force: true })
})

describe('Entra SSH certificates through MSAL', () => {
  it('issues a user certificate for her key, principal = her sign-in name, readable by ssh-keygen', async () => {
    const creds = await certificates.for(accountId, env.sandbox.tenantId)
    expect(creds.user).toBe('grace@contoso.example')
    expect(statSync(creds.keyPath).mode & 0o777).toBe(0o600)
    expect(statSync(creds.certificatePath).mode & 0o777).toBe(0o600)

    const cert = parseOpenSshCertificate(readFileSync(creds.certificatePath, 'utf8'))
    const publicKey = execFileSync('ssh-keygen', ['-y', '-f', creds.keyPath], { encoding: 'utf8' })
    // The certified key is hers: the public half of the private key in ~/.ssh.
    const [, keyBlob] = publicKey.trim().split(/\s+/)
    const certBlob = Buffer.from(
      readFileSync(creds.certificatePath, 'utf8').split(' ')[1]!,
      'base64',
    )
    expect(certBlob.includes(Buffer.from(keyBlob!, 'base64').subarray(15))).toBe(true)
    expect(cert.principals).toEqual(['grace@contoso.example'])

    const listing = execFileSync('ssh-keygen', ['-L', '-f', creds.certificatePath], {
      encoding: 'utf8',
    })
    expect(listing).toContain('Type: ssh-rsa-cert-v01@openssh.com user certificate')
    expect(listing).toMatch(/Principals:\s*\n\s+grace@contoso\.example/)
    expect(listing).toMatch(/Signing CA: RSA SHA256:\S+ \(using rsa-sha2-512\)/)
  })

  it('reuses the certificate on file while it is fresh', async () => {
    const before = requests
    const again = await certificates.for(accountId, env.sandbox.tenantId)
    expect(requests).toBe(before)
    expect(again.user).toBe('grace@contoso.example')
  })

  it('asks Entra for a new one once it is in its last fifth, and writes it in place', async () => {
    const first = await certificates.for(accountId, env.sandbox.tenantId)
    const before = parseOpenSshCertificate(readFileSync(first.certificatePath, 'utf8'))
    let asked = 0
    const later = new SshCertificates({
      sshDir,
      request: (account, tenant, key, force) => {
        asked++
        return app.auth.sshCertificate(account, key, tenant, force)
      },
      // Eleven minutes before the end: inside the last fifth of an hour-long certificate.
      now: () => first.validBefore - 11 * 60_000,
    })
    const renewed = await later.for(accountId, env.sandbox.tenantId)
    expect(asked).toBeGreaterThan(0)
    const after = parseOpenSshCertificate(readFileSync(renewed.certificatePath, 'utf8'))
    expect(renewed.certificatePath).toBe(first.certificatePath)
    expect(after.serial).not.toBe(before.serial)
    expect(after.principals).toEqual(['grace@contoso.example'])
  })

  it('her ssh command and ~/.ssh/config block log in as her with the key and certificate', async () => {
    const creds = await certificates.for(accountId, env.sandbox.tenantId)
    const pool = {
      id: `/subscriptions/${env.sandbox.subscriptionId}/resourceGroups/rg-team-pool/providers/Microsoft.Compute/virtualMachineScaleSets/team-pool`,
      name: 'team-pool',
      os: 'Linux',
      jupyterHubUrl: 'https://team-pool-contoso.westeurope.cloudapp.azure.com:8000/',
    } as PoolSummary
    const instance = {
      instanceId: '0',
      sshPort: 50000,
      powerState: 'running',
      provisioningState: 'Succeeded',
    } as PoolInstance
    const connect = new ConnectService({
      target: async () => ({
        pool,
        instances: [instance],
        adminUsername: 'azureuser',
        entra: creds,
      }),
      launcher: new RecordingLauncher(['xterm']),
      openUrl: async () => 'opened' as const,
      screenReachable: () => true,
      preferences: new ConnectPreferencesFile(join(sshDir, 'connect.json')),
      platform: 'linux',
      env: {},
      home: sshDir,
      sshDir,
      tempDir: sshDir,
    })
    const plan = await connect.sshPlan(pool.id)
    expect(plan.command).toBe(
      `ssh -i ${creds.keyPath} -o CertificateFile=${creds.certificatePath} -p 50000 grace@contoso.example@team-pool-contoso.westeurope.cloudapp.azure.com`,
    )
    await connect.writeSshConfig(pool.id)
    const config = readFileSync(join(sshDir, 'config'), 'utf8')
    expect(config).toContain(
      [
        'Host team-pool-0',
        '  HostName team-pool-contoso.westeurope.cloudapp.azure.com',
        '  Port 50000',
        '  User grace@contoso.example',
        `  IdentityFile "${creds.keyPath}"`,
        '  IdentitiesOnly yes',
        `  CertificateFile "${creds.certificatePath}"`,
      ].join('\n'),
    )
    // ssh itself accepts the block (parses it without connecting).
    const resolved = execFileSync('ssh', ['-G', '-F', join(sshDir, 'config'), 'team-pool-0'], {
      encoding: 'utf8',
    })
    expect(resolved).toContain('user grace@contoso.example')
    expect(resolved).toContain(`certificatefile ${creds.certificatePath}`)
  })
})
