import type { Env, TemplateRuntime, TemplateScope } from '../../../sandbox/arm/template/env'
import { evaluateString } from '../../../sandbox/arm/template/evaluate'
import { PreparedTemplate } from '../../../sandbox/arm/template/template'
import type { Value } from '../../../sandbox/arm/template/value'

export const scope: TemplateScope = {
  subscriptionId: '00000000-0000-4000-8000-000000000001',
  tenantId: '72f988bf-0000-4000-8000-00000000c0de',
  subscriptionDisplayName: 'Contoso Data Science',
  resourceGroup: { name: 'pool-rg', location: 'westeurope', tags: { team: 'ml' } },
  deploymentName: 'pool-deploy',
  armEndpoint: 'https://localhost:1234',
}

export const rgId = `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup.name}`

export function prepare(template: unknown, parameters?: Record<string, unknown>) {
  return PreparedTemplate.prepare({
    template,
    parameters:
      parameters &&
      Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, { value: v }])),
    scope,
    newGuid: () => '6f1c4b2e-1111-4222-8333-444455556666',
    now: () => Date.UTC(2026, 10, 28, 9, 30, 15),
  })
}

/** Evaluates one expression string against a template with the given parameters and variables. */
export async function evaluate(
  expression: string,
  options: {
    parameters?: Record<string, { type: string; value: Value }>
    variables?: Record<string, Value>
    runtime?: TemplateRuntime
    phase?: Env['phase']
  } = {},
): Promise<Value> {
  const parameters = options.parameters ?? {}
  const prepared = await prepare(
    {
      parameters: Object.fromEntries(
        Object.entries(parameters).map(([k, p]) => [k, { type: p.type }]),
      ),
      variables: options.variables ?? {},
      resources: [],
    },
    Object.fromEntries(Object.entries(parameters).map(([k, p]) => [k, p.value])),
  )
  return evaluateString(
    expression,
    prepared.env(options.phase ?? 'plan', { byName: {} }, options.runtime),
  )
}
