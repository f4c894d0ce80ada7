import { Notification } from 'electron'

export interface DesktopNotification {
  title: string
  body: string
}

/** OS notifications for things that finish while the window is hidden (e.g. a pool deployed). */
export interface Notifier {
  notify(notification: DesktopNotification): void
}

export function createDesktopNotifier(onClick?: () => void): Notifier {
  return {
    notify({ title, body }) {
      if (!Notification.isSupported()) return
      const notification = new Notification({ title, body, silent: false })
      if (onClick) notification.on('click', onClick)
      notification.show()
    },
  }
}
