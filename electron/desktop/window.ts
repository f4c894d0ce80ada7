import { BrowserWindow, screen } from 'electron'
import { isAppPage } from './trusted-sender'
import { buildWindowOptions } from './window-options'
import { fitToDisplays, loadWindowBounds, saveWindowBounds } from './window-state'

export interface MainWindowOptions {
  preloadPath: string
  /** app://dsvm/index.html, or Vite's dev server URL with `npm start`. */
  pageUrl: string
  /** Where the window's size and position are remembered. */
  stateFile: string
  iconPath?: string
  /** Development builds only (Vite's dev server): production windows never open DevTools. */
  devTools?: boolean
  /** A link the page tried to open in a new window: main decides whether it goes to the browser. */
  onExternalLink: (url: string) => void
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const remembered = loadWindowBounds(options.stateFile)
  const bounds = fitToDisplays(
    remembered,
    screen.getAllDisplays().map((display) => display.workArea),
  )
  const window = new BrowserWindow(
    buildWindowOptions({
      preloadPath: options.preloadPath,
      bounds,
      ...(options.iconPath ? { iconPath: options.iconPath } : {}),
      devTools: options.devTools ?? false,
    }),
  )
  if (bounds?.maximized) window.maximize()
  guardNavigation(window, options)
  rememberBounds(window, options.stateFile)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(options.pageUrl)
  return window
}

/** The page never navigates away, opens windows or embeds <webview>. */
function guardNavigation(window: BrowserWindow, options: MainWindowOptions): void {
  const contents = window.webContents
  contents.setWindowOpenHandler(({ url }) => {
    options.onExternalLink(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => {
    if (!isAppPage(event.url, options.pageUrl)) event.preventDefault()
  })
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame || !isAppPage(event.url, options.pageUrl)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (!isAppPage(event.url, options.pageUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function rememberBounds(window: BrowserWindow, stateFile: string): void {
  window.on('close', () => {
    try {
      const { x, y, width, height } = window.getNormalBounds()
      saveWindowBounds(stateFile, { x, y, width, height, maximized: window.isMaximized() })
    } catch {
      // Losing the window position is not worth failing a close for.
    }
  })
}
