import { app } from 'electron'

/**
 * True when this is the only running instance. A second launch quits at once and the first
 * is told (to focus its window).
 */
export function acquireSingleInstance(onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', () => onSecondLaunch())
  return true
}

export function focusWindow(window: Electron.BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}
