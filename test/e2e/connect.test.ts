import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RecordingLauncher } from '../unit/connect/fake-launcher'
import {
  endTest,
  exploreSandboxAs,
  screenshotBothThemes,
  startAppUnderTest,
  type AppUnderTest,
} from './harness'

/*
 * One click to work, as a person uses it: JupyterHub opens through the link opener (after the
 * certificate note), SSH and VS Code start through the launcher with the pool's address, its
 * admin user and NAT ports, and the ssh config gets the pool's hosts. The launcher is a fake
 * that records what would have been started.
 */

let running: AppUnderTest | undefined
let sshDir: string | undefined
afterEach(async (context) => {
  const app = running
  running = undefined
  await endTest(context.task, app)
  if (sshDir) rmSync(sshDir, { recursive: true, force: true })
})

describe('connect to a pool', () => {
  it('opens JupyterHub, SSH to the pool and an instance, VS Code, and copies the command', async () => {
    sshDir = mkdtempSync(join(tmpdir(), 'dsvm-ssh-'))
    const launcher = new RecordingLauncher(['xterm', 'code'])
    running = await startAppUnderTest({
      sandbox: true,
      sandboxOptions: { seed: 'demo' },
      pools: { intervals: { fastMs: 250, steadyMs: 500, idleMs: 500 }, updateIntervalInMs: 50 },
      connect: { launcher, sshDir },
    })
    const app = running
    const { page } = app
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await exploreSandboxAs(app, 'Ada Lovelace')
    await page.getByRole('checkbox', { name: 'Contoso Data Science' }).check()
    await page.getByRole('button', { name: 'Save and continue' }).click()
    const team = page
      .getByRole('list', { name: 'Pools' })
      .getByRole('article', { name: 'team-pool' })
    await team.getByText('3 of 3 running').waitFor()

    // JupyterHub: the certificate note the first time, then the system browser.
    const opened = app.systemBrowser.next()
    await team.getByRole('button', { name: 'JupyterHub', exact: true }).click()
    const note = page.getByRole('dialog', { name: 'Before JupyterHub opens' })
    await note.getByText(/self-signed certificate/).waitFor()
    await screenshotBothThemes(page, 'connect-jupyterhub-note')
    await note.getByRole('button', { name: 'Continue to JupyterHub' }).click()
    const url = await opened
    expect(url).toMatch(/^https:\/\/team-pool-contoso\.[\w.-]+:8000\/$/)
    const host = new URL(url).hostname
    // Remembered: the next click opens the page at once.
    const again = app.systemBrowser.next()
    await team.getByRole('button', { name: 'JupyterHub', exact: true }).click()
    await expect(again).resolves.toBe(url)

    // SSH to the pool: a terminal with ssh to the first running instance's NAT port.
    await team.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByRole('heading', { name: /^team-pool/ }).waitFor()
    const rows = page.getByRole('rowgroup', { name: 'Instance rows' }).getByRole('row')
    await expect.poll(() => rows.count()).toBe(3)
    await page.getByRole('button', { name: 'SSH', exact: true }).click()
    await expect.poll(() => launcher.launched.length).toBe(1)
    const poolLaunch = launcher.launched[0]!
    expect(poolLaunch.command).toBe('xterm')
    // The pool has the Entra ID login: Ada connects as herself with the app's key and her
    // Entra certificate (docs/team.md), both in ~/.ssh.
    const key = join(sshDir, 'dsvm-pool-manager-entra')
    const cert = join(
      sshDir,
      readdirSync(sshDir).find((f) => f.endsWith('-cert.pub'))!,
    )
    const me = 'ada@contoso.example'
    expect(poolLaunch.args.slice(0, 9)).toEqual([
      '-T',
      'team-pool',
      '-e',
      'ssh',
      '-i',
      key,
      '-o',
      `CertificateFile=${cert}`,
      '-p',
    ])
    const poolPort = Number(poolLaunch.args[9])
    expect(poolPort).toBeGreaterThanOrEqual(50000)
    expect(poolLaunch.args[10]).toBe(`${me}@${host}`)
    await page
      .getByRole('status')
      .getByText(
        `Opened xterm: ssh -i ${key} -o CertificateFile=${cert} -p ${poolPort} ${me}@${host}`,
      )
      .waitFor()

    // SSH to one instance: its own NAT port, shown in its row.
    const row = rows.nth(2)
    const rowPort = Number((await row.getByRole('cell').nth(3).textContent())?.trim())
    await row.getByRole('button', { name: /^SSH to / }).click()
    await expect.poll(() => launcher.launched.length).toBe(2)
    expect(launcher.launched[1]!.args.slice(-3)).toEqual(['-p', String(rowPort), `${me}@${host}`])

    // The ssh config has the pool and each instance as hosts.
    const config = readFileSync(join(sshDir, 'config'), 'utf8')
    expect(config).toContain(
      `Host team-pool\n  HostName ${host}\n  Port ${poolPort}\n  User ${me}\n  IdentityFile "${key}"\n  IdentitiesOnly yes\n  CertificateFile "${cert}"\n`,
    )
    for (const id of ['0', '1', '2']) expect(config).toContain(`Host team-pool-${id}\n`)

    // Copy: the command text on the clipboard.
    await page.getByRole('button', { name: 'Copy SSH command' }).click()
    await page
      .getByRole('status')
      .getByText(/^Copied: ssh /)
      .waitFor()
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(
      `ssh -i ${key} -o CertificateFile=${cert} -p ${poolPort} ${me}@${host}`,
    )
    // The confirmation clears by itself.
    await page.getByText(/^Copied: ssh /).waitFor({ state: 'detached' })

    // VS Code (installed here: `code` is on the fake PATH): the Remote-SSH link.
    await page.getByRole('button', { name: 'Open in VS Code' }).click()
    await expect.poll(() => launcher.launched.length).toBe(3)
    expect(launcher.launched[2]).toEqual({
      command: 'xdg-open',
      args: [`vscode://vscode-remote/ssh-remote+team-pool/home/${me}`],
    })
    await screenshotBothThemes(page, 'connect-pool-detail')
  })
})
