import { describe, expect, it, vi } from 'vitest'
import type { TrayAction } from '../../../shared/tray-menu'
import { trayModel } from '../../../shared/tray-menu'

const made = vi.hoisted(() => ({ trays: [] as Array<Record<string, unknown[]>> }))

vi.mock('electron', () => ({
  nativeImage: { createFromPath: (path: string) => ({ path }) },
  Menu: { buildFromTemplate: (template: unknown[]) => ({ template }) },
  Tray: class {
    calls: Record<string, unknown[]> = { setImage: [], setToolTip: [], setContextMenu: [] }
    constructor(image: unknown) {
      this.calls.image = [image]
      made.trays.push(this.calls)
    }
    on() {}
    setImage(image: unknown) {
      this.calls.setImage!.push(image)
    }
    setToolTip(text: string) {
      this.calls.setToolTip!.push(text)
    }
    setContextMenu(menu: unknown) {
      this.calls.setContextMenu!.push(menu)
    }
    destroy() {}
  },
}))

const { createAppTray, menuTemplate } = await import('../../../electron/desktop/tray')

describe('the tray adapter', () => {
  it('turns the model into a menu whose clicks hand back the model’s actions', () => {
    const actions: TrayAction[] = []
    const template = menuTemplate(trayModel({ pools: [], pending: new Set() }), (a) =>
      actions.push(a),
    )
    expect(template.map((i) => [i.type ?? 'normal', i.label, i.enabled])).toEqual([
      ['normal', 'No pools in your chosen subscriptions', false],
      ['separator', undefined, undefined],
      ['normal', 'Open DSVM Pool Manager', true],
      ['normal', 'Quit', true],
    ])
    ;(template[3]!.click as () => void)()
    expect(actions).toEqual([{ kind: 'quit' }])
  })

  it('swaps the icon only when running changes and always updates the tooltip', () => {
    const tray = createAppTray({
      icons: { running: 'run.png', idle: 'idle.png' },
      onAction: () => undefined,
    })
    const calls = made.trays.at(-1)!
    tray.update(trayModel({ pools: [], pending: new Set() }))
    expect(calls.setImage).toEqual([])
    expect(calls.setToolTip).toEqual(['DSVM Pool Manager — no instances running'])
    tray.update({ icon: 'running', tooltip: 'x', items: [] })
    expect(calls.setImage).toEqual([{ path: 'run.png' }])
  })
})
