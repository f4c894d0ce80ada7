import { dirname } from 'node:path'
import type { Launcher } from './launcher'

/*
 * "Show in folder" for a saved download outside Electron (the web host; Electron's shell uses
 * shell.showItemInFolder): the platform's file manager with the file selected where it can
 * be, else its folder. Arguments go as an array, no shell.
 */
export function showInFolderWith(
  launcher: Launcher,
  platform: NodeJS.Platform,
): (file: string) => Promise<void> {
  return (file) => {
    if (platform === 'win32')
      return launcher.launch({ command: 'explorer.exe', args: [`/select,${file}`] })
    if (platform === 'darwin') return launcher.launch({ command: 'open', args: ['-R', file] })
    return launcher.launch({ command: 'xdg-open', args: [dirname(file)] })
  }
}
