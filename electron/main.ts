import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, session, shell, type WebContents } from 'electron'
import { createAppServices, type AppServices } from './app-services'
import { appPageUrl, registerAppScheme, serveRenderer } from './desktop/app-protocol'
import { createSafeStorageSecretStore } from './desktop/secret-store'
import { hardenSession } from './desktop/session-security'
import { acquireSingleInstance, focusWindow } from './desktop/single-instance'
import { isAppPage, isTrustedSenderFrame } from './desktop/trusted-sender'
import { createMainWindow } from './desktop/window'
import { bindIpc, forwardEvents } from './ipc/electron-ipc'

/*
 * The desktop app's composition root: one instance, a hardened session, the renderer from
 * app:// (or Vite's dev server with `npm start`), the shared app services behind the
 * validating IPC router, and one window that remembers where it was.
 */

// Tests and portable setups may keep the profile elsewhere; must happen before ready.
if (process.env.DSVM_USER_DATA_DIR) app.setPath('userData', process.env.DSVM_USER_DATA_DIR)
app.setAppUserModelId('io.github.dsvm-pool-manager')
// Every renderer the app could ever create is sandboxed, not only the main window.
app.enableSandbox()
registerAppScheme()

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const pageUrl = devServerUrl ?? appPageUrl
const rendererDir = join(import.meta.dirname, '../renderer')
const preloadPath = join(import.meta.dirname, '../preload/preload.cjs')
const iconPath = join(
  app.isPackaged
    ? join(process.resourcesPath, 'icons')
    : join(import.meta.dirname, '../../resources/icons'),
  'icon.png',
)

let mainWindow: BrowserWindow | undefined
let services: AppServices | undefined

if (!acquireSingleInstance(() => focusWindow(mainWindow))) {
  app.quit()
} else {
  // Every web contents, including any the app never meant to create, is locked down.
  app.on('web-contents-created', (_event, contents) => lockDown(contents))
  app.whenReady().then(start, (error: unknown) => {
    console.error('The app could not start:', error)
    app.exit(1)
  })
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, pageUrl, devServerUrl)
  if (!devServerUrl) serveRenderer(rendererDir)
  const userData = app.getPath('userData')
  services = createAppServices({
    shell: 'electron',
    version: app.getVersion(),
    platform: process.platform,
    dataDir: userData,
    secretStore: createSafeStorageSecretStore(join(userData, 'secrets')),
    openExternal: (url) => shell.openExternal(url),
  })
  bindIpc({
    ipcMain,
    router: services.router,
    isTrustedSender: (frame) => isTrustedSenderFrame(frame, pageUrl),
  })
  forwardEvents(services.events, () =>
    BrowserWindow.getAllWindows()
      .filter((window) => !window.isDestroyed())
      .map((window) => window.webContents),
  )
  openMainWindow()

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let closing = false
  app.on('before-quit', (event) => {
    if (closing || !services) return
    closing = true
    event.preventDefault()
    void services.close().finally(() => app.quit())
  })
}

function openMainWindow(): void {
  mainWindow = createMainWindow({
    preloadPath,
    pageUrl,
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    iconPath,
    onExternalLink: (url) => void services?.openLink(url),
  })
  mainWindow.on('closed', () => {
    mainWindow = undefined
  })
}

function lockDown(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.on('will-navigate', (event) => {
    if (!isAppPage(event.url, pageUrl)) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    void services?.openLink(url)
    return { action: 'deny' }
  })
}
