import type { Settings } from '../../shared/api'

const storageKey = 'dsvm.theme'

/**
 * Pins light or dark on <html data-theme> ("system" removes it and the style sheet follows
 * prefers-color-scheme). Remembered locally so the next start paints in the right theme
 * before settings arrive.
 */
export function applyTheme(
  theme: Settings['theme'] | undefined,
  root: HTMLElement = document.documentElement,
): void {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme
  else delete root.dataset.theme
  try {
    if (theme) localStorage.setItem(storageKey, theme)
  } catch {
    // Storage may be unavailable (private mode); the theme still applies for this page.
  }
}

export function rememberedTheme(): Settings['theme'] | undefined {
  try {
    const value = localStorage.getItem(storageKey)
    return value === 'light' || value === 'dark' || value === 'system' ? value : undefined
  } catch {
    return undefined
  }
}
