import type { SandboxModule } from './core/module'

/** Every module the sandbox runs, in install order. */
export const modules: SandboxModule[] = []
