import { ArmError } from '../../core/arm-error'
import type { SandboxContext } from '../../core/context'
import type { Route, SandboxReply, SandboxRequest } from '../../core/http'
import { getScaleSet, scaleSetIdOf } from '../compute/model'
import { durationMs, param } from '../compute/request-helpers'
import { scaleSetNotFound } from '../compute/scale-sets'
import { cpuSamples, minuteMs } from './cpu-samples'

/** GET {scaleSet}/providers/Microsoft.Insights/metrics for 'Percentage CPU'. */

const metricName = 'Percentage CPU'
const aggregations = ['average', 'minimum', 'maximum', 'total', 'count'] as const
type Aggregation = (typeof aggregations)[number]

function parseTimespan(value: string | undefined, now: number): { from: number; to: number } {
  if (!value) return { from: now - 3_600_000, to: now }
  const [first, second] = value.split('/')
  const instant = (text: string) => Date.parse(text)
  if (second === undefined) return { from: now - durationMs(first!), to: now }
  const from = /^P/i.test(first!) ? instant(second) - durationMs(first!) : instant(first!)
  const to = /^P/i.test(second) ? from + durationMs(second) : instant(second)
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new ArmError(
      400,
      'BadRequest',
      `The timespan '${value}' is not valid. Use 'start/end' in ISO 8601.`,
    )
  }
  return { from, to }
}

function metricsReply(req: SandboxRequest, ctx: SandboxContext): SandboxReply {
  const resourceGroup = param(req, 'resourceGroupName')
  const name = param(req, 'vmssName')
  const scaleSet = getScaleSet(ctx, scaleSetIdOf(param(req, 'subscriptionId'), resourceGroup, name))
  if (!scaleSet) throw scaleSetNotFound(resourceGroup, name)
  const names = (req.query('metricnames') ?? metricName).split(',').map((n) => n.trim())
  const unknown = names.find((n) => n.toLowerCase() !== metricName.toLowerCase())
  if (unknown) {
    throw new ArmError(
      400,
      'BadRequest',
      `Failed to find metric configuration for provider: Microsoft.Compute, resource Type: virtualMachineScaleSets, metric: ${unknown}, Valid metrics: ${metricName}`,
    )
  }
  const { from, to } = parseTimespan(req.query('timespan'), ctx.clock.now())
  const intervalText = req.query('interval') ?? 'PT1M'
  const interval =
    intervalText.toUpperCase() === 'FULL' ? to - from : Math.max(minuteMs, durationMs(intervalText))
  const wanted = (req.query('aggregation') ?? 'average')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter((a): a is Aggregation => (aggregations as readonly string[]).includes(a))
  const start = Math.floor(from / minuteMs) * minuteMs
  const samples = cpuSamples(ctx, scaleSet.id, start, to)
  const data: Array<Record<string, unknown>> = []
  for (let t = start; t < to; t += interval) {
    const bucket = samples.filter((s) => s.t >= t && s.t < t + interval)
    const point: Record<string, unknown> = { timeStamp: new Date(t).toISOString() }
    if (bucket.length > 0) {
      const values = {
        average: bucket.reduce((a, s) => a + s.average, 0) / bucket.length,
        minimum: Math.min(...bucket.map((s) => s.minimum)),
        maximum: Math.max(...bucket.map((s) => s.maximum)),
        total: bucket.reduce((a, s) => a + s.average, 0),
        count: bucket.length,
      }
      for (const aggregation of wanted) point[aggregation] = values[aggregation]
    }
    data.push(point)
  }
  return {
    status: 200,
    body: {
      cost: data.length,
      timespan: `${new Date(from).toISOString()}/${new Date(to).toISOString()}`,
      interval: intervalText.toUpperCase() === 'FULL' ? 'FULL' : intervalText,
      value: [
        {
          id: `${scaleSet.id}/providers/Microsoft.Insights/metrics/${metricName}`,
          type: 'Microsoft.Insights/metrics',
          name: { value: metricName, localizedValue: metricName },
          displayDescription:
            'The percentage of allocated compute units that are currently in use by the Virtual Machine(s)',
          unit: 'Percent',
          timeseries: [{ metadatavalues: [], data }],
          errorCode: 'Success',
        },
      ],
      namespace: 'Microsoft.Compute/virtualMachineScaleSets',
      resourceregion: scaleSet.location,
    },
  }
}

export const metricsRoutes: Route[] = [
  {
    service: 'arm',
    method: 'GET',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/{vmssName}/providers/Microsoft.Insights/metrics',
    handler: metricsReply,
  },
]
