import type { Result } from '../../shared/contract'
import { eventChannel, invokeChannel } from './channels'
import type { EventHub } from './events'
import type { Router } from './router'

/*
 * Binds the router to Electron's ipcMain without importing 'electron' (DESIGN.md decision 2):
 * main.ts passes ipcMain and the sender check, so this runs in plain Node tests.
 */

export interface SenderFrameLike {
  readonly url: string
  readonly parent?: unknown
}
export interface InvokeEventLike {
  readonly senderFrame: SenderFrameLike | null
}
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void
  removeHandler(channel: string): void
}
export interface EventTarget {
  send(channel: string, ...args: unknown[]): void
}

export interface BindIpcOptions {
  ipcMain: IpcMainLike
  router: Router
  /** True only for the app's own top-level page. */
  isTrustedSender: (frame: SenderFrameLike | null) => boolean
}

const untrusted: Result<never> = {
  ok: false,
  error: { code: 'Forbidden', message: 'Calls are accepted only from the app’s own page.' },
}

/** Returns the function that unbinds. */
export function bindIpc({ ipcMain, router, isTrustedSender }: BindIpcOptions): () => void {
  ipcMain.handle(invokeChannel, async (event, name, input) => {
    if (!isTrustedSender(event.senderFrame)) return untrusted
    return router.call(name, input)
  })
  return () => ipcMain.removeHandler(invokeChannel)
}

/** Sends every event to the targets `targets()` returns at that moment (the open windows). */
export function forwardEvents(hub: EventHub, targets: () => Iterable<EventTarget>): () => void {
  return hub.subscribe((name, payload) => {
    for (const target of targets()) target.send(eventChannel, name, payload)
  })
}
