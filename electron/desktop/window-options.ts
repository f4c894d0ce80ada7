import type { BrowserWindowConstructorOptions } from 'electron'
import { minimumWindowSize, type WindowBounds } from './window-state'

export { minimumWindowSize }

export interface WindowOptionsInput {
  preloadPath: string
  bounds: WindowBounds | undefined
  iconPath?: string
  /** DevTools only in development (`npm start`); a packaged app never opens them. */
  devTools?: boolean
}

export const defaultWindowSize = { width: 1200, height: 800 }

/**
 * The main window's options, following Electron's security checklist: an isolated, sandboxed
 * renderer without Node, web security on, no insecure content, no <webview>.
 */
export function buildWindowOptions({
  preloadPath,
  bounds,
  iconPath,
  devTools = false,
}: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'DSVM Pool Manager',
    ...(bounds
      ? { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height }
      : { ...defaultWindowSize, center: true }),
    minWidth: minimumWindowSize.width,
    minHeight: minimumWindowSize.height,
    show: false,
    backgroundColor: '#f7f8fa',
    autoHideMenuBar: true,
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools,
    },
  }
}
