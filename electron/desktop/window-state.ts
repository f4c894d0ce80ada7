import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'

/** The smallest window the layout is made for. */
export const minimumWindowSize = { width: 900, height: 600 }

/** The window's last size and position (a preference, DESIGN.md decision 5). */
export const windowBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
})
export type WindowBounds = z.infer<typeof windowBoundsSchema>

export interface Rectangle {
  x: number
  y: number
  width: number
  height: number
}

export function loadWindowBounds(file: string): WindowBounds | undefined {
  try {
    const parsed = windowBoundsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

export function saveWindowBounds(file: string, bounds: WindowBounds): void {
  mkdirSync(dirname(file), { recursive: true })
  const temporary = `${file}.tmp`
  writeFileSync(temporary, JSON.stringify(bounds), { mode: 0o600 })
  renameSync(temporary, file)
}

/**
 * The remembered bounds if the window's title bar would still be on a screen (displays change
 * between launches), shrunk to fit that screen; otherwise undefined (centre a default window).
 */
export function fitToDisplays(
  bounds: WindowBounds | undefined,
  workAreas: Rectangle[],
): WindowBounds | undefined {
  if (!bounds) return undefined
  const titleBar = { x: bounds.x + 40, y: bounds.y + 10 }
  const area = workAreas.find(
    (a) =>
      titleBar.x >= a.x &&
      titleBar.x < a.x + a.width &&
      titleBar.y >= a.y &&
      titleBar.y < a.y + a.height,
  )
  if (!area) return undefined
  const width = Math.max(minimumWindowSize.width, Math.min(bounds.width, area.width))
  const height = Math.max(minimumWindowSize.height, Math.min(bounds.height, area.height))
  return { ...bounds, width, height }
}
