import { ArmError, resourceGroupNotFound } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import type { SandboxRequest } from '../../core/http'
import { normalizeLocation } from '../../core/lro'
import { subscriptions, tenants } from '../../seed/directory'
import { findResourceGroup, type ResourceGroup } from '../resources/groups'
import { evaluateValue } from '../template/evaluate'
import { PreparedTemplate, TemplateError } from '../template/template'
import type { DeploymentRecord } from './records'

export interface DeploymentRequest {
  mode: 'Incremental' | 'Complete'
  template: unknown
  parameters: unknown
}

const invalidContent = (message: string) => new ArmError(400, 'InvalidRequestContent', message)

/** The group a deployment targets; 404 ResourceGroupNotFound as Azure answers. */
export function targetGroup(ctx: SandboxContext, req: SandboxRequest): ResourceGroup {
  const group = findResourceGroup(ctx, req.params.subscriptionId!, req.params.resourceGroupName!)
  if (!group) throw resourceGroupNotFound(req.params.resourceGroupName!)
  return group
}

export function checkDeploymentName(name: string): void {
  if (!/^[-\w.()]{1,64}$/.test(name)) {
    throw new ArmError(
      400,
      'InvalidDeploymentName',
      `The deployment name '${name}' is invalid. It can contain only letters, digits, '-', '_', '.', '(' and ')', and must be 1-64 characters long.`,
    )
  }
}

/** The deployment body: `{ properties: { mode, template, parameters } }`; no template links here. */
export function readDeploymentRequest(req: SandboxRequest): DeploymentRequest {
  const body = req.json<{ properties?: Record<string, unknown> }>()
  const properties = body?.properties
  if (!properties || typeof properties !== 'object')
    throw invalidContent("The request content is missing the required property 'properties'.")
  const mode = properties.mode
  if (mode !== 'Incremental' && mode !== 'Complete') {
    throw invalidContent(
      `The deployment mode '${String(mode)}' is not valid. The supported modes are 'Incremental' and 'Complete'.`,
    )
  }
  const link = (properties.templateLink ?? properties.parametersLink) as
    { uri?: string } | undefined
  if (link) {
    throw new ArmError(
      400,
      'InvalidContentLink',
      `Unable to download deployment content from '${link.uri ?? ''}'. The sandbox has no network access; send the template and parameters inline. Please see https://aka.ms/arm-deploy for usage details.`,
    )
  }
  if (properties.template === undefined) {
    throw invalidContent(
      "The request content must contain either the 'template' or the 'templateLink' property.",
    )
  }
  return { mode, template: properties.template, parameters: properties.parameters ?? {} }
}

/** Binds and validates the template for the target group: 400 InvalidTemplate on any problem. */
export async function prepareDeployment(
  ctx: SandboxContext,
  group: ResourceGroup,
  subscriptionId: string,
  deploymentName: string,
  request: Pick<DeploymentRequest, 'template' | 'parameters'>,
): Promise<PreparedTemplate> {
  const subscription = subscriptions.find(
    (s) => s.id.toLowerCase() === subscriptionId.toLowerCase(),
  )
  try {
    return await PreparedTemplate.prepare({
      template: request.template,
      parameters: request.parameters,
      scope: {
        subscriptionId: subscription?.id ?? subscriptionId,
        tenantId: subscription?.tenantId ?? '',
        subscriptionDisplayName: subscription?.displayName ?? '',
        tenantDisplayName: tenants.find((t) => t.id === subscription?.tenantId)?.displayName ?? '',
        resourceGroup: {
          name: group.name,
          location: group.location,
          ...(group.tags ? { tags: group.tags } : {}),
        },
        deploymentName,
        armEndpoint: ctx.endpoints.armEndpoint,
        authorityHost: ctx.endpoints.authorityHost,
      },
      newGuid: () => ctx.newId(),
      now: () => ctx.clock.now(),
    })
  } catch (error) {
    if (error instanceof TemplateError) throw new ArmError(400, 'InvalidTemplate', error.message)
    throw error
  }
}

/** The `providers` and `dependencies` a deployment reports, from its plan. */
export async function describePlan(
  prepared: PreparedTemplate,
  group: ResourceGroup,
): Promise<Pick<DeploymentRecord, 'providers' | 'dependencies'>> {
  const resources = prepared.deploymentOrder()
  const providers = new Map<string, Map<string, Set<string>>>()
  for (const resource of resources) {
    const [namespace, ...rest] = resource.type.split('/')
    let location = group.location
    try {
      const value = await evaluateValue(
        resource.definition.location,
        prepared.env('plan', resource.copy),
      )
      if (typeof value === 'string' && value.length > 0) location = normalizeLocation(value)
    } catch {
      // Known only at run time; the group's region stands in.
    }
    const types = providers.get(namespace!) ?? new Map<string, Set<string>>()
    providers.set(
      namespace!,
      types.set(rest.join('/'), (types.get(rest.join('/')) ?? new Set()).add(location)),
    )
  }
  return {
    providers: [...providers].map(([namespace, types]) => ({
      namespace,
      resourceTypes: [...types].map(([resourceType, locations]) => ({
        resourceType,
        locations: [...locations],
      })),
    })),
    dependencies: resources.map((r) => ({
      id: r.id,
      type: r.type,
      name: r.name,
      dependsOn: r.dependencies,
    })),
  }
}
