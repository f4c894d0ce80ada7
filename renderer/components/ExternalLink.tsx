import type { MouseEvent, ReactNode } from 'react'
import { api } from '../api'
import { useSession } from '../stores'

/**
 * A link to a page outside the app. In the desktop app it opens in the system browser
 * through main's allow-list (the window itself never navigates); in a browser tab it opens
 * a new tab.
 */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  const shell = useSession((s) => s.appInfo?.shell)
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (shell !== 'electron') return
    event.preventDefault()
    void api.call('links.open', { url: href })
  }
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" onClick={open}>
      {children}
    </a>
  )
}
