import { useEffect, useMemo, useState } from 'react'
import { api } from '../../api'
import { ErrorAlert } from '../../components/Alerts'
import { Button } from '../../components/Button'
import { ExternalLink } from '../../components/ExternalLink'
import { AlertIcon } from '../../components/icons'
import { Loading } from '../../components/Spinner'
import { formatRate } from '../../../shared/cost/format'
import type { VmSizeInfo } from '../../../shared/deploy'
import type { Draft } from './draft'
import { useLoad } from '../../lib/use-load'
import { NumberField, Segmented, TextField } from './fields'
import { freeOf, quotaShortfall } from './quota'
import { wizardStore } from './wizard-store'

const shownSizes = 40

/** An hourly rate with three decimals, so that sizes compare at a glance ($0.200, $3.550). */
const hourly = (amount: number, currency: string) => formatRate(amount, currency)

/** Operating system, priority, VM size (with price and quota) and how many to start. */
export function MachinesStep({
  draft,
  problem,
}: {
  draft: Draft
  problem: (path: string) => string | undefined
}) {
  const wizard = wizardStore.getState()
  const [filter, setFilter] = useState('')
  const sizesKey = `${draft.subscriptionId}|${draft.location}|${draft.priority}`
  const [sizes, reload] = useLoad(sizesKey, () =>
    api.call('wizard.vmSizes', {
      subscriptionId: draft.subscriptionId,
      location: draft.location,
      priority: draft.priority,
    }),
  )
  const [onlyFitting, setOnlyFitting] = useState(false)
  const visible = useMemo(() => {
    if (sizes.status !== 'loaded') return []
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean)
    return sizes.value
      .filter((s) =>
        words.every((w) => s.name.toLowerCase().includes(w) || (w === 'gpu' && s.gpus > 0)),
      )
      .filter(
        (s) =>
          !onlyFitting || (s.available && !quotaShortfall(s, Math.max(1, draft.instanceCount))),
      )
      .slice(0, shownSizes)
  }, [sizes, filter, onlyFitting, draft.instanceCount])
  const pricesKey =
    sizes.status === 'loaded'
      ? `${draft.location}|${draft.osType}|${draft.priority}|${visible.map((s) => s.name).join(',')}`
      : undefined
  const [prices] = useLoad(pricesKey, () =>
    api.call('wizard.sizePrices', {
      location: draft.location,
      osType: draft.osType,
      priority: draft.priority,
      sizes: visible.map((s) => s.name),
    }),
  )
  const priceOf = (name: string) =>
    prices.status === 'loaded' ? prices.value.find((p) => p.name === name) : undefined
  const chosen =
    sizes.status === 'loaded' ? sizes.value.find((s) => s.name === draft.vmSku) : undefined
  const quotaShort = quotaShortfall(chosen, draft.instanceCount)
  // A shortfall blocks Next like any other problem; it is only known here, from the sizes.
  useEffect(() => {
    wizardStore.getState().setFound('instanceCount', quotaShort)
  }, [quotaShort])
  useEffect(() => () => wizardStore.getState().setFound('instanceCount', undefined), [])

  return (
    <div className="stack-l">
      <div className="row wide-gap">
        <Segmented
          label="Operating system"
          name="wizard-os"
          value={draft.osType}
          options={[
            { value: 'Linux', label: 'Linux (Ubuntu 22.04)' },
            { value: 'Windows', label: 'Windows Server 2022' },
          ]}
          onChange={(osType) => {
            wizard.set('osType', osType)
            const mount = draft.storage.mountpointPath
            if (osType === 'Windows' && mount === '/mnt/dsvmshare')
              wizard.set('storage.mountpointPath', 'Z:')
            if (osType === 'Linux' && mount === 'Z:')
              wizard.set('storage.mountpointPath', '/mnt/dsvmshare')
          }}
        />
        <Segmented
          label="Priority"
          name="wizard-priority"
          value={draft.priority}
          options={[
            { value: 'Regular', label: 'Regular' },
            { value: 'Spot', label: 'Spot (cheaper, can be evicted)' },
          ]}
          onChange={(priority) => wizard.set('priority', priority)}
        />
      </div>
      {draft.priority === 'Spot' && (
        <div className="row wide-gap align-start">
          <div className="field">
            <label htmlFor="wizard-eviction">When Azure takes an instance back</label>
            <select
              id="wizard-eviction"
              className="select"
              value={draft.evictionPolicy}
              onChange={(event) => wizard.set('evictionPolicy', event.target.value)}
            >
              <option value="Deallocate">Deallocate it (its disk stays and is billed)</option>
              <option value="Delete">Delete it</option>
            </select>
          </div>
          <TextField
            label="Highest price per hour (-1: up to the regular price)"
            value={String(draft.maxPrice)}
            width="short"
            onChange={(value) => wizard.set('maxPrice', Number(value))}
            problem={problem('maxPrice')}
          />
        </div>
      )}

      <section className="stack" aria-labelledby="sizes-title">
        <div className="section-header">
          <h2 id="sizes-title">VM size</h2>
          <label className="choice">
            <input
              type="checkbox"
              checked={onlyFitting}
              onChange={(event) => setOnlyFitting(event.target.checked)}
            />
            Only sizes with enough quota
          </label>
          <input
            className="input"
            type="search"
            aria-label="Filter sizes"
            placeholder="Filter: D4, gpu, NC…"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
        </div>
        {sizes.status === 'loading' && <Loading label="Loading the sizes of the region…" />}
        {sizes.status === 'failed' && (
          <ErrorAlert error={sizes.error} title="Couldn’t list the VM sizes" onRetry={reload} />
        )}
        {sizes.status === 'loaded' && (
          <table className="data-table sizes-table">
            <thead>
              <tr>
                <th scope="col">Size</th>
                <th scope="col" className="num">
                  vCPUs
                </th>
                <th scope="col" className="num">
                  Memory
                </th>
                <th scope="col" className="num">
                  GPUs
                </th>
                <th scope="col" className="num">
                  Price / hour
                </th>
                <th scope="col" className="num">
                  Quota free
                </th>
              </tr>
            </thead>
            <tbody>
              {visible.map((size) => (
                <SizeRow
                  key={size.name}
                  size={size}
                  selected={size.name === draft.vmSku}
                  price={priceOf(size.name)}
                  pricesLoading={prices.status === 'loading'}
                  onSelect={() => wizard.set('vmSku', size.name)}
                />
              ))}
            </tbody>
          </table>
        )}
        {sizes.status === 'loaded' && visible.length === 0 && (
          <p className="muted">No size matches “{filter}”.</p>
        )}
        {problem('vmSku') && <span className="field-error">{problem('vmSku')}</span>}
        {sizes.status === 'loaded' && !chosen && draft.vmSku && (
          <span className="field-error">
            {draft.vmSku} is not offered in {draft.location}; choose one of the sizes above.
          </span>
        )}
      </section>

      <NumberField
        label="Instances to start with"
        value={draft.instanceCount}
        min={0}
        max={100}
        onChange={(count) => {
          wizard.set('instanceCount', count)
          followCount(count)
        }}
        problem={quotaShort ? undefined : problem('instanceCount')}
        help={
          chosen?.quota && !quotaShort
            ? `${draft.instanceCount} × ${chosen.vCPUs} = ${draft.instanceCount * chosen.vCPUs} vCPUs of the ${chosen.quota.limit - chosen.quota.used} free in your ${chosen.quota.displayName} quota.`
            : 'Autoscale takes over after the pool is created.'
        }
      />
      {quotaShort && chosen?.quota && (
        <QuotaShortfall
          size={chosen}
          quota={chosen.quota}
          count={draft.instanceCount}
          message={quotaShort}
          onFewer={(fits) => {
            wizard.set('instanceCount', fits)
            followCount(fits)
          }}
          onOnlyFitting={() => setOnlyFitting(true)}
        />
      )}
    </div>
  )
}

/**
 * Autoscale's maximum and default follow the instance count until the person sets them:
 * the pool starts at the count and autoscale does not scale it in again at once.
 */
function followCount(count: number) {
  const { touched, follow, draft } = wizardStore.getState()
  if (!draft || !Number.isInteger(count) || count < 0 || count > 100) return
  if (!touched.includes('autoscale.maximum')) follow('autoscale.maximum', Math.max(1, count))
  if (!touched.includes('autoscale.default')) follow('autoscale.default', count)
}

function QuotaShortfall({
  size,
  quota,
  count,
  message,
  onFewer,
  onOnlyFitting,
}: {
  size: VmSizeInfo
  quota: NonNullable<VmSizeInfo['quota']>
  count: number
  message: string
  onFewer: (fits: number) => void
  onOnlyFitting: () => void
}) {
  const fits = Math.floor((freeOf(size) ?? 0) / size.vCPUs)
  return (
    <div className="alert" role="alert" aria-label="Not enough quota">
      <AlertIcon className="alert-icon" />
      <div className="alert-body">
        <p className="alert-title">Not enough quota for this pool</p>
        <p>{message}</p>
        <p className="alert-detail">
          Start with fewer instances, choose a size with quota free, or ask for more quota.
        </p>
        <div className="alert-actions">
          {fits >= 1 && fits < count && (
            <Button size="small" onClick={() => onFewer(fits)}>
              Start with {fits} instance{fits === 1 ? '' : 's'}
            </Button>
          )}
          <Button size="small" onClick={onOnlyFitting}>
            Show sizes with enough quota
          </Button>
          {quota.requestUrl && (
            <ExternalLink href={quota.requestUrl}>
              Request more quota in the Azure portal
            </ExternalLink>
          )}
        </div>
      </div>
    </div>
  )
}

function SizeRow({
  size,
  selected,
  price,
  pricesLoading,
  onSelect,
}: {
  size: VmSizeInfo
  selected: boolean
  price:
    { perHour?: number | undefined; currency: string; problem?: string | undefined } | undefined
  pricesLoading: boolean
  onSelect: () => void
}) {
  const free = size.quota ? size.quota.limit - size.quota.used : undefined
  return (
    <tr aria-selected={selected} className={size.available ? undefined : 'unavailable'}>
      <td>
        <label className="choice">
          <input
            type="radio"
            name="wizard-size"
            checked={selected}
            disabled={!size.available}
            onChange={onSelect}
          />
          <span className="stack-tight">
            <span className="mono">{size.name}</span>
            {size.restriction && <span className="help">{size.restriction}</span>}
          </span>
        </label>
      </td>
      <td className="num">{size.vCPUs}</td>
      <td className="num">{size.memoryGB} GB</td>
      <td className="num">{size.gpus || '—'}</td>
      <td className="num">
        {price?.perHour !== undefined ? (
          hourly(price.perHour, price.currency)
        ) : pricesLoading ? (
          '…'
        ) : (
          <span title={price?.problem}>—</span>
        )}
      </td>
      <td className={`num${free !== undefined && free < size.vCPUs ? ' danger-text' : ''}`}>
        {free !== undefined ? `${free} vCPUs` : '—'}
      </td>
    </tr>
  )
}
