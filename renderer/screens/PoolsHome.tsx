import { useSettings } from '../stores'
import { PoolsScreen } from './pools/PoolsScreen'

/** The signed-in home: the pools in the chosen subscriptions (renderer/screens/pools). */
export function PoolsHome() {
  const chosenCount = useSettings((s) => s.settings?.chosenSubscriptionIds.length ?? 0)
  return <PoolsScreen chosenCount={chosenCount} />
}
