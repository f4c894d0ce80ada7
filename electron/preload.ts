import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { bridgeGlobalName, type DsvmBridge } from '../shared/bridge'
import type { Result } from '../shared/contract'
import { eventChannel, invokeChannel } from './ipc/channels'

/*
 * The renderer's only way to main: one generic call and one generic subscription (see
 * shared/bridge.ts). Nothing raw from Electron crosses: no ipcRenderer, no event objects.
 * Main validates names and inputs; this side only keeps the shapes simple.
 */
const bridge: DsvmBridge = {
  invoke(name: string, input: unknown): Promise<Result<unknown>> {
    if (typeof name !== 'string') {
      return Promise.resolve({
        ok: false,
        error: { code: 'Validation', message: 'A call name must be a string.' },
      })
    }
    return ipcRenderer.invoke(invokeChannel, name, input) as Promise<Result<unknown>>
  },
  on(name: string, listener: (payload: unknown) => void): () => void {
    if (typeof name !== 'string' || typeof listener !== 'function') return () => undefined
    const forward = (_event: IpcRendererEvent, eventName: unknown, payload: unknown) => {
      if (eventName === name) listener(payload)
    }
    ipcRenderer.on(eventChannel, forward)
    return () => {
      ipcRenderer.removeListener(eventChannel, forward)
    }
  },
}

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge)
