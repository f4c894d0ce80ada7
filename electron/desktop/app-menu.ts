import type { MenuItemConstructorOptions } from 'electron'

/*
 * The application menu: what desktop users look for (Edit for the clipboard keys, Window,
 * and Help with "Check for Updates…" and "About"). On macOS the first menu is the app's own
 * and holds About, the update check and Quit. No developer tools: the window has none in
 * production.
 */

export interface AppMenuActions {
  checkForUpdates(): void
  about(): void
}

export function appMenuTemplate(
  platform: NodeJS.Platform,
  productName: string,
  actions: AppMenuActions,
): MenuItemConstructorOptions[] {
  const checkForUpdates: MenuItemConstructorOptions = {
    label: 'Check for Updates…',
    click: () => actions.checkForUpdates(),
  }
  const about: MenuItemConstructorOptions = {
    label: `About ${productName}`,
    click: () => actions.about(),
  }
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  }
  if (platform === 'darwin') {
    return [
      {
        label: productName,
        submenu: [
          about,
          checkForUpdates,
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      edit,
      { role: 'windowMenu' },
    ]
  }
  return [
    { label: 'File', submenu: [{ role: 'quit', label: 'Quit' }] },
    edit,
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
    { label: 'Help', submenu: [checkForUpdates, { type: 'separator' }, about] },
  ]
}

/** The About dialog's text: the version first, then where it runs. */
export function aboutText(info: {
  productName: string
  version: string
  electron: string
  chrome: string
  node: string
  platform: string
  arch: string
}): { message: string; detail: string } {
  return {
    message: `${info.productName} ${info.version}`,
    detail: [
      `Version ${info.version}`,
      `Electron ${info.electron} · Chromium ${info.chrome} · Node ${info.node}`,
      `${info.platform} ${info.arch}`,
      '',
      'Create and run a shared pool of Azure Data Science VMs for your team.',
    ].join('\n'),
  }
}
