import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron'
import type { TrayAction, TrayModel } from '../../shared/tray-menu'

/**
 * The tray icon: a thin adapter that turns the pure menu model (shared/tray-menu.ts) into
 * Electron's Menu, swaps the running/idle icon and the tooltip, and hands clicks back.
 */

export function menuTemplate(
  model: TrayModel,
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return model.items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' }
      case 'label':
        return { label: item.label, enabled: false }
      case 'checkbox':
        return {
          type: 'checkbox',
          label: item.label,
          checked: item.checked,
          enabled: item.enabled,
          click: () => onAction(item.action),
        }
      case 'normal':
        return { label: item.label, enabled: item.enabled, click: () => onAction(item.action) }
    }
  })
}

export interface AppTray {
  update(model: TrayModel): void
  destroy(): void
}

export function createAppTray(options: {
  icons: { running: string; idle: string }
  onAction: (action: TrayAction) => void
  /** A click on the icon itself (Windows and Linux open the app; macOS shows the menu). */
  onClick?: () => void
}): AppTray {
  const images = {
    running: nativeImage.createFromPath(options.icons.running),
    idle: nativeImage.createFromPath(options.icons.idle),
  }
  const tray = new Tray(images.idle)
  if (options.onClick) tray.on('click', options.onClick)
  let shownIcon: TrayModel['icon'] = 'idle'
  return {
    update(model) {
      if (model.icon !== shownIcon) {
        tray.setImage(images[model.icon])
        shownIcon = model.icon
      }
      tray.setToolTip(model.tooltip)
      tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(model, options.onAction)))
    },
    destroy: () => tray.destroy(),
  }
}
