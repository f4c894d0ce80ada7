import type { CloudName } from '../../shared/clouds'
import type { HandlersFor } from '../ipc/handlers'
import type { SandboxRunner } from './sandbox-runner'

export interface SandboxHandlerDeps {
  sandbox: SandboxRunner
  switchCloud(cloud: CloudName): Promise<void>
}

/** sandbox.*: "Explore with a sandbox". */
export function sandboxHandlers({ sandbox, switchCloud }: SandboxHandlerDeps) {
  return {
    'sandbox.start': async () => {
      await sandbox.start()
      await switchCloud('Sandbox')
      return { cloud: 'Sandbox' as const }
    },
  } satisfies HandlersFor<'sandbox'>
}
