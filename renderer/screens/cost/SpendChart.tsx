import { chartServices, chartSummary, dayLabel, layoutBars, smallestUnit } from './spend-chart'
import type { PoolSpendView } from './use-pool-spend'

const plot = { width: 620, height: 180 }
const margin = { top: 8, right: 8, bottom: 24, left: 56 }

/**
 * Spend by day this month as stacked bars (one colour per service), in plain SVG coloured
 * from CSS variables so it follows the light and dark themes. The picture has an aria-label
 * that says what it shows; the figures themselves are in the table below it.
 */
export function SpendChart({
  spend,
  money,
}: {
  spend: PoolSpendView
  money: (amount: number) => string
}) {
  const charted = chartServices(spend.services)
  const layout = layoutBars(spend.days, charted, {
    ...plot,
    daysInMonth: spend.projection.daysInMonth,
    dailyRate: spend.projection.dailyRate,
    minStep: smallestUnit(spend.currency),
  })
  const labelEvery = Math.ceil(spend.projection.daysInMonth / 8)
  const colour = (service: string) => `var(--chart-${charted.indexOf(service) + 1})`
  return (
    <figure className="spend-chart">
      <svg
        role="img"
        aria-label={chartSummary(spend, money)}
        viewBox={`0 0 ${plot.width + margin.left + margin.right} ${plot.height + margin.top + margin.bottom}`}
        preserveAspectRatio="xMidYMid meet"
      >
        <g transform={`translate(${margin.left} ${margin.top})`}>
          {layout.axis.ticks.map((tick, i) => (
            <g key={tick}>
              <line
                className="spend-grid"
                x1={0}
                x2={plot.width}
                y1={layout.tickY[i]}
                y2={layout.tickY[i]}
              />
              <text className="spend-axis" x={-8} y={layout.tickY[i]! + 4} textAnchor="end">
                {money(tick)}
              </text>
            </g>
          ))}
          {layout.projected.map((bar) => (
            <rect
              key={`projected-${bar.day}`}
              className="spend-projected"
              x={bar.x}
              y={bar.y}
              width={bar.width}
              height={bar.height}
            />
          ))}
          {layout.bars.map((bar, index) => (
            <g key={bar.date}>
              <title>{`${dayLabel(bar.date)}: ${money(bar.total)}`}</title>
              {bar.segments.map((segment) => (
                <rect
                  key={segment.service}
                  x={bar.x}
                  y={segment.y}
                  width={bar.width}
                  height={Math.max(segment.height, 0.5)}
                  fill={colour(segment.service)}
                />
              ))}
              {index % labelEvery === 0 && (
                <text
                  className="spend-axis"
                  x={bar.x + bar.width / 2}
                  y={plot.height + 16}
                  textAnchor="middle"
                >
                  {dayLabel(bar.date)}
                </text>
              )}
            </g>
          ))}
        </g>
      </svg>
      <figcaption>
        <ul className="spend-legend" aria-label="Services">
          {charted.map((service) => (
            <li key={service}>
              <span className="spend-swatch" style={{ background: colour(service) }} />
              {service}
            </li>
          ))}
          {layout.projected.length > 0 && (
            <li>
              <span className="spend-swatch projected" />
              Rest of the month at {money(spend.projection.dailyRate)} a day (projection)
            </li>
          )}
        </ul>
      </figcaption>
    </figure>
  )
}

/** The chart's figures as a table (for screen readers, and anyone who wants the numbers). */
export function SpendTable({
  spend,
  money,
}: {
  spend: PoolSpendView
  money: (amount: number) => string
}) {
  const charted = chartServices(spend.services)
  const services = charted.filter((s) => spend.services.includes(s))
  const other = charted.length > services.length
  return (
    <details className="spend-table">
      <summary>Show the figures as a table</summary>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">Spend by day and service this month</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {services.map((s) => (
                <th scope="col" key={s}>
                  {s}
                </th>
              ))}
              {other && <th scope="col">Other</th>}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {spend.days.map((day) => {
              const shown = services.reduce((sum, s) => sum + (day.byService[s] ?? 0), 0)
              return (
                <tr key={day.date}>
                  <th scope="row">{dayLabel(day.date)}</th>
                  {services.map((s) => (
                    <td key={s}>{money(day.byService[s] ?? 0)}</td>
                  ))}
                  {other && <td>{money(day.total - shown)}</td>}
                  <td>{money(day.total)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </details>
  )
}
