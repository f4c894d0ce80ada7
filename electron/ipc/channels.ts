/** Electron IPC channel names shared by main (electron/ipc/electron-ipc.ts) and preload. */
export const invokeChannel = 'dsvm:invoke'
export const eventChannel = 'dsvm:event'
