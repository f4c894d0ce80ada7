import { AppError } from '../../../shared/errors'
import { mountPlan, type ShareTarget } from './mount-plan'
import { checkTcp, type Reachability } from './reachability'
import type { CommandRunner } from './runner'

/*
 * Mount on this computer: first a short check that TCP 445 reaches the storage account (and
 * a plain answer when it does not, pointing at the browser in the app), then the platform's
 * mount with the key on standard input only.
 */

export interface MountTarget extends ShareTarget {
  /** Reads the account key now (listKeys); it stays in main. */
  key(): Promise<string>
}

export interface MountServiceOptions {
  target(poolId: string): Promise<MountTarget>
  runner: CommandRunner
  platform: NodeJS.Platform
  check?: (host: string) => Promise<Reachability>
}

export class MountService {
  constructor(private readonly options: MountServiceOptions) {}

  async check(poolId: string): Promise<{ host: string } & Reachability> {
    const { host } = await this.options.target(poolId)
    return { host, ...(await (this.options.check ?? checkTcp)(host)) }
  }

  async mount(poolId: string): Promise<{ where: string }> {
    const target = await this.options.target(poolId)
    const reach = await (this.options.check ?? checkTcp)(target.host)
    if (!reach.reachable)
      throw new AppError(
        'Offline',
        `SMB (port 445) to ${target.host} is blocked from here. ${reach.reason ?? ''} The file browser in the app works over HTTPS instead.`,
      )
    const plan = mountPlan(this.options.platform, target, await target.key())
    for (const step of plan.steps) {
      const { code, stderr } = await this.options.runner.run(step)
      if (code !== 0)
        throw new AppError(
          'Unknown',
          `${step.command} could not mount the share (exit code ${code})${stderr ? `: ${stderr.trim().slice(0, 300)}` : '.'}`,
        )
    }
    return { where: plan.where }
  }
}
