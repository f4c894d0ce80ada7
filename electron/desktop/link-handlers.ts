import type { HandlersFor } from '../ipc/handlers'

/** links.*: addresses on the link allow-list, opened in the system browser. */
export function linkHandlers({ openLink }: { openLink(url: string): Promise<boolean> }) {
  return {
    'links.open': async ({ url }) => ({ opened: await openLink(url) }),
  } satisfies HandlersFor<'links'>
}
