import type { Sandbox, SandboxOptions } from '../../sandbox/index'

/**
 * The embedded sandbox ("Explore with a sandbox"), started in-process on first use and kept
 * until the app quits. Concurrent callers share one start. Its code is loaded then too (a
 * dynamic import, its own chunk in the build): people who never explore it never pay for it.
 */
export class SandboxRunner {
  private starting: Promise<Sandbox> | undefined
  private running: Sandbox | undefined

  constructor(
    private readonly options: SandboxOptions = {},
    private readonly onStarted: (sandbox: Sandbox) => void = () => undefined,
    /** A sandbox someone else runs (a teammate's app in tests): used, never closed here. */
    private readonly shared?: Sandbox,
  ) {}

  get current(): Sandbox | undefined {
    return this.running
  }

  start(): Promise<Sandbox> {
    this.starting ??= (
      this.shared
        ? Promise.resolve(this.shared)
        : import('../../sandbox/index').then(({ startSandbox }) => startSandbox(this.options))
    ).then(
      (sandbox) => {
        this.running = sandbox
        this.onStarted(sandbox)
        return sandbox
      },
      (error: unknown) => {
        this.starting = undefined
        throw error
      },
    )
    return this.starting
  }

  async close(): Promise<void> {
    const sandbox = await this.starting?.catch(() => undefined)
    this.starting = undefined
    this.running = undefined
    if (sandbox !== this.shared) await sandbox?.close()
  }
}
