import { registerNamespace } from '../../../../sandbox/core/api-versions'
import { ArmError, notFound } from '../../../../sandbox/core/arm-error'
import type { SandboxContext } from '../../../../sandbox/core/context'
import { ok, type SandboxRequest } from '../../../../sandbox/core/http'
import type { SandboxModule } from '../../../../sandbox/core/module'
import { view } from '../../../../sandbox/core/resources'
import { requireResourceGroup } from '../../../../sandbox/arm/resources'

/**
 * A tiny resource provider that exists only in these tests, so the deployment engine can be
 * driven deterministically: `Sandbox.Test/widgets` are created asynchronously (5 s of
 * sandbox time, with Azure-AsyncOperation), refuse size 'huge' with a quota error as compute
 * does, and have keys; `widgets/parts` are created synchronously and need their parent.
 */
export const widgetCreateMs = 5_000
const base =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Sandbox.Test/widgets/{widgetName}'

/** Every PUT the provider received, with the sandbox time, in order. */
export const widgetLog: Array<{ name: string; at: number }> = []

const widgetId = (req: SandboxRequest) =>
  `/subscriptions/${req.params.subscriptionId}/resourceGroups/${req.params.resourceGroupName}/providers/Sandbox.Test/widgets/${req.params.widgetName}`

function requireWidget(ctx: SandboxContext, req: SandboxRequest) {
  const widget = ctx.resources.get(widgetId(req))
  if (!widget)
    throw notFound('Sandbox.Test/widgets', req.params.widgetName!, req.params.resourceGroupName)
  return widget
}

export const fakeProviderModule: SandboxModule = {
  name: 'fake-test-provider',
  install(ctx, router) {
    registerNamespace('Sandbox.Test', ['2024-01-01'])
    ctx.lro.register('widgets.created', (args: { id: string }) => {
      const widget = ctx.resources.get(args.id)
      if (widget?.properties) widget.properties.provisioningState = 'Succeeded'
      ctx.resources.touch()
    })
    router.add(
      {
        service: 'arm',
        method: 'PUT',
        pattern: base,
        handler: (req, c) => {
          requireResourceGroup(c, req.params.subscriptionId!, req.params.resourceGroupName!)
          const body = req.json<{
            location?: string
            tags?: Record<string, string>
            properties?: Record<string, unknown>
          }>()
          if (body.properties?.size === 'huge') {
            throw new ArmError(
              409,
              'OperationNotAllowed',
              'Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Location: eastus, Current Limit: 10, Current Usage: 8, Additional Required: 64.',
            )
          }
          widgetLog.push({ name: req.params.widgetName!, at: c.clock.now() })
          const id = widgetId(req)
          const existed = c.resources.get(id)
          c.resources.put({
            id,
            name: req.params.widgetName!,
            type: 'Sandbox.Test/widgets',
            location: body.location ?? 'eastus',
            ...(body.tags ? { tags: body.tags } : {}),
            properties: {
              ...(body.properties ?? {}),
              provisioningState: existed ? 'Updating' : 'Creating',
            },
          })
          const { headers } = c.lro.start({
            subscriptionId: req.params.subscriptionId!,
            namespace: 'Sandbox.Test',
            location: body.location ?? 'eastus',
            durationMs: widgetCreateMs,
            handler: 'widgets.created',
            args: { id },
            apiVersion: req.query('api-version')!,
          })
          return { status: existed ? 200 : 201, headers, body: view(c.resources.get(id)!) }
        },
      },
      {
        service: 'arm',
        method: 'GET',
        pattern: base,
        handler: (req, c) => ok(view(requireWidget(c, req))),
      },
      {
        service: 'arm',
        method: 'POST',
        pattern: `${base}/listKeys`,
        handler: (req, c) =>
          ok({ keys: [{ keyName: 'key1', value: `secret-of-${requireWidget(c, req).name}` }] }),
      },
      {
        service: 'arm',
        method: 'PUT',
        pattern: `${base}/parts/{partName}`,
        handler: (req, c) => {
          const parent = c.resources.get(widgetId(req))
          if (!parent) {
            throw new ArmError(
              404,
              'ParentResourceNotFound',
              `Can not perform requested operation on nested resource. Parent resource '${req.params.widgetName}' not found.`,
            )
          }
          const id = `${parent.id}/parts/${req.params.partName}`
          const body = req.json<{ properties?: Record<string, unknown> }>()
          c.resources.put({
            id,
            name: req.params.partName!,
            type: 'Sandbox.Test/widgets/parts',
            properties: { ...(body.properties ?? {}), provisioningState: 'Succeeded' },
          })
          return { status: 201, body: view(c.resources.get(id)!) }
        },
      },
      {
        service: 'arm',
        method: 'GET',
        pattern: `${base}/parts/{partName}`,
        handler: (req, c) => {
          const part = c.resources.get(`${widgetId(req)}/parts/${req.params.partName}`)
          if (!part)
            throw notFound(
              'Sandbox.Test/widgets/parts',
              req.params.partName!,
              req.params.resourceGroupName,
            )
          return ok(view(part))
        },
      },
    )
  },
}
