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
 * elsewhere, or when the page scrolls.
 */
export function ActionMenu({ label, actions }: { label: string; actions: MenuAction[] }) {
  const id = useId()
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const [place, setPlace] = useState<{ top: number; right: number } | undefined>()
  const open = place !== undefined

  useEffect(() => {
    if (!open) return
    menu.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus()
    const close = () => setPlace(undefined)
    const outside = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node) && event.target !== button.current) close()
    }
    document.addEventListener('mousedown', outside)
    window.addEventListener('resize', close)
    document.addEventListener('scroll', close, true)
    return () => {
      document.removeEventListener('mousedown', outside)
      window.removeEventListener('resize', close)
      document.removeEventListener('scroll', close, true)
    }
  }, [open])

  const toggle = () => {
    if (open) return setPlace(undefined)
    const rect = button.current!.getBoundingClientRect()
    setPlace({ top: rect.bottom + 4, right: Math.max(8, window.innerWidth - rect.right) })
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
          style={{ top: place.top, right: place.right }}
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
