import type { HandlersFor } from '../ipc/handlers'
import type { ConnectService } from './connect-service'
import type { MountService } from './mount/mount-service'

export interface ConnectHandlerDeps {
  connect: ConnectService
  mounts: MountService
}

/** connect.*: JupyterHub, SSH, VS Code, RDP and the share mounted on this computer. */
export function connectHandlers({ connect, mounts }: ConnectHandlerDeps) {
  return {
    'connect.available': async () => ({ vscode: await connect.vscodeAvailable() }),
    'connect.openJupyterHub': ({ poolId, acknowledgeCertificateNote }) =>
      connect.openJupyterHub(poolId, acknowledgeCertificateNote ?? false),
    'connect.ssh': ({ poolId, instanceId }) => connect.ssh(poolId, instanceId),
    'connect.copySshCommand': async ({ poolId, instanceId }) => ({
      command: (await connect.sshPlan(poolId, instanceId)).command,
    }),
    'connect.vscode': ({ poolId, instanceId }) => connect.vscode(poolId, instanceId),
    'connect.rdp': ({ poolId, instanceId }) => connect.rdp(poolId, instanceId),
    'connect.checkMount': ({ poolId }) => mounts.check(poolId),
    'connect.mount': ({ poolId }) => mounts.mount(poolId),
  } satisfies HandlersFor<'connect'>
}
