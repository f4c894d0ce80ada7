import type { SandboxReply } from '../core/http'
import type { SandboxUser } from '../seed/directory'

/** HTML pages of the sign-in experience: small, plain, keyboard- and screen-reader-friendly. */

const style = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; }
  main { width: min(26rem, 92vw); padding: 2rem; border: 1px solid #8884; border-radius: 12px; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  p { margin: .25rem 0 1rem; line-height: 1.4; }
  .badge { display: inline-block; font-size: .75rem; padding: .1rem .5rem; border-radius: 999px; background: #0078d422; color: #0063b1; }
  ul { list-style: none; padding: 0; margin: 0 0 1rem; display: grid; gap: .5rem; }
  button.user { width: 100%; text-align: left; padding: .75rem 1rem; border: 1px solid #8886; border-radius: 8px;
    background: Canvas; color: CanvasText; font: inherit; cursor: pointer; }
  button.user:hover, button.user:focus-visible { border-color: #0078d4; outline: 2px solid #0078d4; outline-offset: 1px; }
  button.user span { display: block; font-size: .85rem; opacity: .75; }
  button.secondary { padding: .5rem 1rem; border-radius: 6px; border: 1px solid #8886; background: transparent; color: CanvasText; font: inherit; cursor: pointer; }
  label { display: block; font-weight: 600; margin-bottom: .25rem; }
  input[type=text] { width: 100%; box-sizing: border-box; padding: .6rem; font: inherit; letter-spacing: .15em; text-transform: uppercase;
    border: 1px solid #8888; border-radius: 6px; margin-bottom: 1rem; }
  .error { color: #c50f1f; font-weight: 600; }
`

export const escapeHtml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&quot;' })[c]!,
  )

function page(title: string, content: string, status = 200): SandboxReply {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><main>${content}</main></body></html>`
  return {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    },
    body: html,
  }
}

const hiddenInputs = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n')

const userButtons = (users: SandboxUser[]) =>
  `<ul>${users
    .map(
      (u) =>
        `<li><button class="user" type="submit" name="username" value="${escapeHtml(u.username)}">${escapeHtml(u.name)}<span>${escapeHtml(u.username)}</span></button></li>`,
    )
    .join('')}</ul>`

/** "Sign in to the sandbox": one button per seeded user; posts back to the authorize endpoint. */
export function signInPage(options: {
  action: string
  fields: Record<string, string>
  users: SandboxUser[]
  tenantName?: string
  /** The tenant asks for a second factor: say that choosing an account stands in for it. */
  requiresMfa?: boolean
}): SandboxReply {
  return page(
    'Sign in to the sandbox',
    `<span class="badge">Sandbox — not Microsoft</span>
<h1>Sign in to the sandbox</h1>
<p>Pick an account${options.tenantName ? ` of ${escapeHtml(options.tenantName)}` : ''}. No password is needed: these are made-up users of a local practice Azure.</p>
${options.requiresMfa ? '<p>This directory requires multi-factor authentication. In the sandbox, choosing your account counts as completing it.</p>' : ''}
<form method="post" action="${escapeHtml(options.action)}" aria-label="Choose an account">
${hiddenInputs(options.fields)}
${userButtons(options.users)}
<button class="secondary" type="submit" name="cancel" value="1">Cancel</button>
</form>`,
  )
}

/** The form_post response: the browser posts the result to the app's loopback address. */
export function formPostPage(redirectUri: string, fields: Record<string, string>): SandboxReply {
  const reply = page(
    'Signing you in…',
    `<h1>Signing you in…</h1>
<form method="post" action="${escapeHtml(redirectUri)}">
${hiddenInputs(fields)}
<noscript><p>Select Continue to return to the app.</p><button class="secondary" type="submit">Continue</button></noscript>
</form>
<script>document.forms[0].submit()</script>`,
  )
  return reply
}

export function errorPage(title: string, message: string, status = 400): SandboxReply {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(message)}</p>`,
    status,
  )
}

/** Device code verification: enter the code shown by the app, then pick who signs in. */
export function deviceCodePage(options: {
  action: string
  users: SandboxUser[]
  error?: string
  code?: string
}): SandboxReply {
  return page(
    'Enter code — sandbox sign-in',
    `<span class="badge">Sandbox — not Microsoft</span>
<h1>Enter code</h1>
<p>Enter the code displayed in the app, then pick the account to sign in with.</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}" aria-label="Approve a device sign-in">
<label for="otc">Code</label>
<input id="otc" name="otc" type="text" autocomplete="off" spellcheck="false" required value="${escapeHtml(options.code ?? '')}">
${userButtons(options.users)}
<button class="secondary" type="submit" name="cancel" value="1">Cancel sign-in</button>
</form>`,
    options.error ? 400 : 200,
  )
}

export function doneDevicePage(message: string): SandboxReply {
  return page(
    'Sandbox sign-in',
    `<h1>Sandbox sign-in</h1><p role="status">${escapeHtml(message)}</p>`,
  )
}
