import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  session,
  shell,
  type WebContents,
} from 'electron'
import { trackActivity } from './desktop/activity'
import { createAppServices, type AppServices } from './app-services'
import { TrayFeed } from './azure/pools/tray-feed'
import { createDesktopNotifier } from './desktop/notifier'
import { createAppTray, type AppTray } from './desktop/tray'
import { aboutText, appMenuTemplate } from './desktop/app-menu'
import { UpdateController, type Updater } from './desktop/updates'
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
const iconsDir = app.isPackaged
  ? join(process.resourcesPath, 'icons')
  : join(import.meta.dirname, '../../resources/icons')
const iconPath = join(iconsDir, 'icon.png')

let mainWindow: BrowserWindow | undefined
let services: AppServices | undefined
let tray: { icon: AppTray; feed: TrayFeed } | undefined
/** Set once the user really quits (tray Quit, Cmd+Q): windows close instead of hiding. */
let quitting = false

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
  const budgetNotifier = createDesktopNotifier(() => showMainWindow())
  services = createAppServices({
    shell: 'electron',
    version: app.getVersion(),
    platform: process.platform,
    dataDir: userData,
    secretStore: createSafeStorageSecretStore(join(userData, 'secrets')),
    openExternal: (url) => shell.openExternal(url),
    showInFolder: async (file) => shell.showItemInFolder(file),
    // Budget warnings (80 % and 100 % of a pool's budget) as OS notifications.
    notify: (notification) => budgetNotifier.notify(notification),
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
  startTray(services)
  const updates = startUpdates(services)
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(process.platform, app.getName(), {
        checkForUpdates: () => {
          if (updates) void updates.then((u) => u.checkFromMenu())
          else void message('Updates are checked in the installed app only.')
        },
        about: () => void showAbout(),
      }),
    ),
  )

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow()
  })
  app.on('window-all-closed', () => {
    // With the tray, closing the window keeps the app (and its poller) running.
    if (process.platform !== 'darwin' && !tray) app.quit()
  })
  let closing = false
  app.on('before-quit', (event) => {
    quitting = true
    if (closing || !services) return
    closing = true
    event.preventDefault()
    tray?.feed.stop()
    tray?.icon.destroy()
    tray = undefined
    void services.close().finally(() => app.quit())
  })
}

/**
 * Auto-update in the installed app (electron-updater reads the feed electron-builder wrote
 * from `publish`): checks at start, downloads in the background, asks before restarting and
 * never restarts while a deployment or a file transfer runs.
 */
function startUpdates(current: AppServices): Promise<UpdateController> | undefined {
  if (!app.isPackaged) return undefined
  const activity = trackActivity(current.events)
  return import('electron-updater').then(({ autoUpdater }) => {
    const controller = new UpdateController({
      updater: autoUpdater as unknown as Updater,
      currentVersion: app.getVersion(),
      busy: activity.busy,
      onIdle: activity.onIdle,
      log: (line) => console.warn(line),
      prompts: {
        askRestart: async (version) =>
          (
            await showBox({
              type: 'info',
              message: `Version ${version} is ready to install`,
              detail:
                'The app restarts to install it. Your pools keep running in Azure; nothing is lost.',
              buttons: ['Restart now', 'Later'],
              defaultId: 0,
              cancelId: 1,
            })
          ).response === 0,
        tell: (text, detail) => void message(text, detail),
      },
    })
    void controller.checkAtStart()
    return controller
  })
}

function showBox(options: Electron.MessageBoxOptions) {
  return mainWindow && !mainWindow.isDestroyed()
    ? dialog.showMessageBox(mainWindow, options)
    : dialog.showMessageBox(options)
}

function message(text: string, detail?: string) {
  return showBox({ type: 'info', message: text, ...(detail ? { detail } : {}), buttons: ['OK'] })
}

function showAbout() {
  const { message: title, detail } = aboutText({
    productName: app.getName(),
    version: app.getVersion(),
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
  })
  return showBox({
    type: 'info',
    title: `About ${app.getName()}`,
    message: title,
    detail,
    buttons: ['OK'],
  })
}

/** The tray: pools from the one poller, scale to zero from the menu, notifications. */
function startTray(current: AppServices): void {
  const notifier = createDesktopNotifier(() => showMainWindow())
  const feed = new TrayFeed({
    events: current.events,
    pools: () => current.pools(),
    notify: (notification) => notifier.notify(notification),
    openLink: (url) => current.openLink(url),
    onChange: (model) => tray?.icon.update(model),
  })
  const icon = createAppTray({
    icons: { running: join(iconsDir, 'tray-active.png'), idle: join(iconsDir, 'tray-idle.png') },
    onClick: () => showMainWindow(),
    onAction: (action) => {
      if (action.kind === 'openApp') showMainWindow()
      else if (action.kind === 'quit') app.quit()
      else void feed.run(action)
    },
  })
  tray = { icon, feed }
  icon.update(feed.model())
  void feed.start()
}

function showMainWindow(): void {
  if (!mainWindow) openMainWindow()
  mainWindow?.show()
  mainWindow?.focus()
  void windowsOpenChanged()
}

/** The poller slows down while no window is visible. */
async function windowsOpenChanged(): Promise<void> {
  const visible = BrowserWindow.getAllWindows().filter((w) => !w.isDestroyed() && w.isVisible())
  await services
    ?.pools()
    .then((pools) => pools.poller.setWindowsOpen(visible.length))
    .catch(() => undefined)
}

function openMainWindow(): void {
  mainWindow = createMainWindow({
    preloadPath,
    pageUrl,
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    iconPath,
    devTools: devServerUrl !== undefined,
    onExternalLink: (url) => void services?.openLink(url),
  })
  mainWindow.on('close', (event) => {
    // Close-to-tray (Settings): the window hides and the pools stay watched from the tray.
    if (!quitting && tray && services?.settings.get().closeToTray) {
      event.preventDefault()
      mainWindow?.hide()
      void windowsOpenChanged()
    }
  })
  mainWindow.on('closed', () => {
    mainWindow = undefined
    void windowsOpenChanged()
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
