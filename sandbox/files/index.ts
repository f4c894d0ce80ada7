import { join } from 'node:path'
import type { SandboxModule } from '../core/module'
import { fileShareType } from '../arm/storage/shares'
import { DiskContentStore, MemoryContentStore } from './content-store'
import { FilesService } from './service'

/**
 * Azure Files data plane (FileREST over HTTPS) on the sandbox's IP host. File bytes are kept
 * under `<state>/files/` with --state, in memory otherwise; names and properties in the state.
 */
export const filesModule: SandboxModule = {
  name: 'files',
  install(ctx, router) {
    const stateDir = ctx.state.stateDir
    const content = stateDir
      ? new DiskContentStore(join(stateDir, 'files'))
      : new MemoryContentStore()
    const service = new FilesService(ctx, content)
    router.add({
      service: 'files',
      method: '*',
      pattern: '/{*path}',
      handler: (req) => service.handle(req),
    })
    ctx.resources.onDelete(fileShareType, (share) => {
      service
        .dropShare(share)
        .catch((error: unknown) =>
          console.error('[sandbox files] could not free a deleted share', error),
        )
    })
  },
}
