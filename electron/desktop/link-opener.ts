import type { LinkAllowList } from './link-allow-list'

/** What became of a request to open an address in the system browser. */
export type OpenOutcome = 'opened' | 'refused' | 'failed'

/** Opens an address in the system browser only when the allow-list accepts it. */
export function linkOpener(
  links: Pick<LinkAllowList, 'isAllowed'>,
  openExternal: (url: string) => Promise<void>,
  log: (level: 'warn', message: string) => void,
): (url: string) => Promise<OpenOutcome> {
  return async (url) => {
    if (!links.isAllowed(url)) return 'refused'
    try {
      await openExternal(url)
      return 'opened'
    } catch (error) {
      log('warn', `The system browser did not open: ${(error as Error).message}`)
      return 'failed'
    }
  }
}
