import type { PoolSpec } from '../../../../shared/pool-spec'
import type { ArmClients } from '../clients'
import { check, statusOf, type Check } from './check'

/*
 * A new group must not exist yet, an existing one must; a group in another region is worth saying.
 */

export async function checkResourceGroup(
  spec: PoolSpec,
  clients: ArmClients,
): Promise<{ exists: boolean; check: Check }> {
  const title = 'Resource group'
  const name = spec.resourceGroup.name
  let location: string | undefined
  try {
    location = (await clients.resources.resourceGroups.get(name)).location
  } catch (error) {
    if (statusOf(error) !== 404) throw error
  }
  if (location === undefined) {
    return {
      exists: false,
      check:
        spec.resourceGroup.mode === 'new'
          ? check(
              'resourceGroup',
              title,
              'ok',
              `Deploy creates the group '${name}' in ${spec.location}.`,
            )
          : check(
              'resourceGroup',
              title,
              'problem',
              `There is no resource group '${name}' in this subscription.`,
              [
                {
                  kind: 'change',
                  label: `Create '${name}' as a new group`,
                  field: 'resourceGroup.mode',
                  value: 'new',
                },
              ],
            ),
    }
  }
  const elsewhere = location.toLowerCase() !== spec.location.toLowerCase()
  if (spec.resourceGroup.mode === 'new') {
    return {
      exists: true,
      check: check(
        'resourceGroup',
        title,
        'problem',
        `A resource group named '${name}' already exists (in ${location}).`,
        [
          {
            kind: 'change',
            label: `Deploy into the existing '${name}'`,
            field: 'resourceGroup.mode',
            value: 'existing',
          },
        ],
      ),
    }
  }
  return {
    exists: true,
    check: elsewhere
      ? check(
          'resourceGroup',
          title,
          'warning',
          `The group '${name}' is in ${location}, the pool would be in ${spec.location}. Azure allows it, but the group's records then live in another region than its resources.`,
          [
            {
              kind: 'change',
              label: `Put the pool in ${location}`,
              field: 'location',
              value: location,
            },
          ],
        )
      : check('resourceGroup', title, 'ok', `The pool goes into the existing group '${name}'.`),
  }
}
