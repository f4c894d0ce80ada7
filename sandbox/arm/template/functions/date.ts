import { TemplateError } from '../errors'
import { expectCount, intArg, stringArg } from './args'
import { formatUtc } from './scope'
import type { FunctionTable } from './types'

const isoDateTime = (date: Date) => `${date.toISOString().slice(0, 19)}Z`

function parseDate(name: string, text: string): Date {
  const date = new Date(text)
  if (Number.isNaN(date.getTime())) {
    throw new TemplateError(
      `The template language function '${name}' expects a valid date and time. The provided value is '${text}'.`,
    )
  }
  return date
}

/** Adds an ISO 8601 duration (P1Y2M3DT4H5M6S, negative with a leading '-') in UTC. */
function addDuration(date: Date, duration: string): Date {
  const m =
    /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      duration,
    )
  if (!m || duration.endsWith('P') || duration.endsWith('T')) {
    throw new TemplateError(
      `The template language function 'dateTimeAdd' expects an ISO 8601 duration such as 'PT1H'. The provided value is '${duration}'.`,
    )
  }
  const sign = m[1] ? -1 : 1
  const n = (i: number) => sign * Number(m[i] ?? 0)
  // Years and months as .NET adds them: the day is clamped to the end of a shorter month.
  const months = date.getUTCFullYear() * 12 + date.getUTCMonth() + n(2) * 12 + n(3)
  const year = Math.floor(months / 12)
  const month = months - year * 12
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  const out = new Date(date)
  out.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay))
  out.setTime(out.getTime() + (((7 * n(4) + n(5)) * 24 + n(6)) * 60 + n(7)) * 60_000 + n(8) * 1000)
  return out
}

/** Date and time functions of the template language. */
export const dateFunctions: FunctionTable = {
  datetimeadd: (args, _env, name) => {
    expectCount(name, args, 2, 3)
    const result = addDuration(parseDate(name, stringArg(name, args, 0)), stringArg(name, args, 1))
    return args.length > 2 ? formatUtc(result, stringArg(name, args, 2)) : isoDateTime(result)
  },
  datetimetoepoch: (args, _env, name) => {
    expectCount(name, args, 1)
    return Math.floor(parseDate(name, stringArg(name, args, 0)).getTime() / 1000)
  },
  datetimefromepoch: (args, _env, name) => {
    expectCount(name, args, 1, 2)
    const date = new Date(intArg(name, args, 0) * 1000)
    return args.length > 1 ? formatUtc(date, stringArg(name, args, 1)) : isoDateTime(date)
  },
}
