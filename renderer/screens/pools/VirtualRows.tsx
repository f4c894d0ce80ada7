import { useState, type ReactNode, type UIEvent } from 'react'

/**
 * Windowing for long lists of fixed-height rows: only the rows in view (plus a few either
 * side) are in the DOM, with spacers keeping the scroll height right, so 1,000 instances
 * scroll as smoothly as 10.
 */

export interface VirtualRowsProps<T> {
  items: readonly T[]
  rowHeight: number
  /** Height of the scrolling viewport in pixels. */
  height: number
  overscan?: number
  rowKey(item: T): string
  renderRow(item: T, index: number): ReactNode
  /** Accessible name of the scrolling region. renderRow returns the row's cells. */
  label: string
}

export function visibleRange(
  scrollTop: number,
  height: number,
  rowHeight: number,
  count: number,
  overscan: number,
): { start: number; end: number } {
  const first = Math.floor(scrollTop / rowHeight)
  const visible = Math.ceil(height / rowHeight)
  const start = Math.max(0, first - overscan)
  const end = Math.min(count, first + visible + overscan)
  return { start, end }
}

export function VirtualRows<T>({
  items,
  rowHeight,
  height,
  overscan = 6,
  rowKey,
  renderRow,
  label,
}: VirtualRowsProps<T>) {
  const [scrollTop, setScrollTop] = useState(0)
  const { start, end } = visibleRange(scrollTop, height, rowHeight, items.length, overscan)
  const onScroll = (event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop)
  const viewportHeight = Math.min(height, Math.max(items.length, 1) * rowHeight)
  return (
    <div
      className="virtual-rows"
      role="rowgroup"
      aria-label={label}
      tabIndex={0}
      onScroll={onScroll}
      style={{ height: viewportHeight }}
    >
      <div style={{ height: start * rowHeight }} aria-hidden="true" />
      {items.slice(start, end).map((item, offset) => (
        <div
          key={rowKey(item)}
          style={{ height: rowHeight }}
          className="virtual-row"
          role="row"
          aria-rowindex={start + offset + 2}
        >
          {renderRow(item, start + offset)}
        </div>
      ))}
      <div style={{ height: (items.length - end) * rowHeight }} aria-hidden="true" />
    </div>
  )
}
