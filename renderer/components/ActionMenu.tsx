import { useEffect, useId, useRef, useState } from 'react'

export interface MenuAction {
  label: string
  onSelect(): void
  disabled?: boolean
  danger?: boolean
}

/**
 * A "⋯" button whose actions open in a menu: rows keep one narrow button however many
 * actions they have, so none is pushed out of view. The menu is placed against the window
 * (fixed), so the row's and the table's clipping cannot cut it; it closes on Escape, a click
 * elsewhere, or a change of the window's size, and follows its button when the page scrolls.
 */
type Place = { top: number; right: number } | { bottom: number; right: number }

/** Below its button, or above it when the window has no room below (the last rows). */
function placeBy(button: HTMLElement, items: number): Place {
  const rect = button.getBoundingClientRect()
  const right = Math.max(8, window.innerWidth - rect.right)
  const height = items * 40 + 16
  return rect.bottom + 4 + height > window.innerHeight && rect.top - 4 - height >= 0
    ? { bottom: window.innerHeight - rect.top + 4, right }
    : { top: rect.bottom + 4, right }
}

export function ActionMenu({ label, actions }: { label: string; actions: MenuAction[] }) {
  const id = useId()
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const [place, setPlace] = useState<Place | undefined>()
  const open = place !== undefined

  useEffect(() => {
    if (!open) return
    menu.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus()
    const close = () => setPlace(undefined)
    // The page scrolled (a person, or the pool's figures growing above): the menu stays with
    // its button instead of vanishing under the pointer.
    const follow = () => {
      const rect = button.current?.getBoundingClientRect()
      if (rect)
        setPlace({ top: rect.bottom + 4, right: Math.max(8, window.innerWidth - rect.right) })
    }
    const outside = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node) && event.target !== button.current) close()
    }
    document.addEventListener('mousedown', outside)
    window.addEventListener('resize', close)
    document.addEventListener('scroll', follow, true)
    return () => {
      document.removeEventListener('mousedown', outside)
      window.removeEventListener('resize', close)
      document.removeEventListener('scroll', follow, true)
    }
  }, [open, actions.length])

  const toggle = () => {
    if (open) return setPlace(undefined)
    setPlace(placeBy(button.current!, actions.length))
  }
  const moveFocus = (step: number) => {
    const items = [
      ...(menu.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? []),
    ]
    const at = items.indexOf(document.activeElement as HTMLButtonElement)
    items[(at + step + items.length) % items.length]?.focus()
  }

  return (
    <>
      <button
        ref={button}
        type="button"
        className="button small ghost action-menu-button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={toggle}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {place && (
        <div
          ref={menu}
          id={id}
          role="menu"
          aria-label={label}
          className="action-menu"
          style={place}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              setPlace(undefined)
              button.current?.focus()
            } else if (event.key === 'ArrowDown') {
              event.preventDefault()
              moveFocus(1)
            } else if (event.key === 'ArrowUp') {
              event.preventDefault()
              moveFocus(-1)
            }
          }}
        >
          {actions.map((action) => (
            <button
              key={action.label}
              type="button"
              role="menuitem"
              className={action.danger ? 'danger-text' : undefined}
              disabled={action.disabled}
              onClick={() => {
                setPlace(undefined)
                action.onSelect()
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
    </>
  )
}
