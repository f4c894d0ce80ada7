import type { SandboxContext } from './context'
import type { Router } from './router'

export type SeedName = 'empty' | 'demo'

/** One area of the sandbox (identity, compute, files ...): its routes, handlers and seed. */
export interface SandboxModule {
  name: string
  /** Adds routes and registers long-running-operation handlers. Runs at every start. */
  install(ctx: SandboxContext, router: Router): void
  /** Fills a fresh state (not run when state was restored from --state DIR). */
  seed?(ctx: SandboxContext, seed: SeedName): void | Promise<void>
  /** Starts timers that act on the state (power transitions, autoscale); after seeding. */
  start?(ctx: SandboxContext): void
}
