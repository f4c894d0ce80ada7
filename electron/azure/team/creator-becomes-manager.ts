import type { TeamService } from './team-service'

/**
 * A new pool's creator is its first Manager (when they may assign roles on its group), asked
 * once per pool; a failed attempt may be made again.
 */
export function creatorBecomesManager(
  team: Pick<TeamService, 'makeCreatorManager'>,
  log: (level: 'info' | 'warn', message: string) => void,
): (ref: { subscriptionId: string; resourceGroup: string }) => void {
  const managersMade = new Set<string>()
  return (ref) => {
    const key = `${ref.subscriptionId}/${ref.resourceGroup}`.toLowerCase()
    if (managersMade.has(key)) return
    managersMade.add(key)
    void team
      .makeCreatorManager(ref.subscriptionId, ref.resourceGroup)
      .then((made) => {
        if (!made) log('info', 'The new pool has no Manager yet: its creator may not assign roles.')
      })
      .catch((error: unknown) => {
        managersMade.delete(key)
        log('warn', `The pool's creator was not made its Manager: ${(error as Error).name}`)
      })
  }
}
