import { TemplateError } from '../errors'
import { armGuid, uniqueString } from '../hash'
import type { Value } from '../value'
import { expectCount, intArg, stringArg, stringOrArrayArg } from './args'
import { toArmString } from './convert'
import { formatString } from './format'
import { parameterDefaultOnly } from './scope'
import type { FunctionTable } from './types'

function allStrings(name: string, args: Value[], min = 1): string[] {
  expectCount(name, args, min, Infinity)
  return args.map((_, i) => stringArg(name, args, i))
}

/** String functions of the template language. */
export const stringFunctions: FunctionTable = {
  format: (args, _env, name) => {
    expectCount(name, args, 1, Infinity)
    return formatString(stringArg(name, args, 0), args.slice(1))
  },
  tolower: (args, _env, name) => {
    expectCount(name, args, 1)
    return stringArg(name, args, 0).toLowerCase()
  },
  toupper: (args, _env, name) => {
    expectCount(name, args, 1)
    return stringArg(name, args, 0).toUpperCase()
  },
  trim: (args, _env, name) => {
    expectCount(name, args, 1)
    return stringArg(name, args, 0).trim()
  },
  replace: (args, _env, name) => {
    expectCount(name, args, 3)
    return stringArg(name, args, 0)
      .split(stringArg(name, args, 1))
      .join(stringArg(name, args, 2))
  },
  split: (args, _env, name) => {
    expectCount(name, args, 2)
    const text = stringArg(name, args, 0)
    const delimiters = Array.isArray(args[1])
      ? args[1].map((_, i) => stringArg(name, args[1] as Value[], i))
      : [stringArg(name, args, 1)]
    let parts = [text]
    for (const delimiter of delimiters) parts = parts.flatMap((p) => p.split(delimiter))
    return parts
  },
  substring: (args, _env, name) => {
    expectCount(name, args, 1, 3)
    const text = stringArg(name, args, 0)
    const start = args.length > 1 ? intArg(name, args, 1) : 0
    const length = args.length > 2 ? intArg(name, args, 2) : text.length - start
    if (start < 0 || length < 0 || start + length > text.length) {
      throw new TemplateError(
        `The template language function 'substring' parameters are out of range: 'startIndex' + 'length' must be within the string '${text}'. The index and length parameters must refer to a location within the string.`,
      )
    }
    return text.substring(start, start + length)
  },
  startswith: (args, _env, name) => {
    expectCount(name, args, 2)
    return stringArg(name, args, 0)
      .toLowerCase()
      .startsWith(stringArg(name, args, 1).toLowerCase())
  },
  endswith: (args, _env, name) => {
    expectCount(name, args, 2)
    return stringArg(name, args, 0)
      .toLowerCase()
      .endsWith(stringArg(name, args, 1).toLowerCase())
  },
  padleft: (args, _env, name) => {
    expectCount(name, args, 2, 3)
    const value = typeof args[0] === 'number' ? String(args[0]) : stringArg(name, args, 0)
    const pad = args.length > 2 ? stringArg(name, args, 2) : ' '
    if (pad.length !== 1)
      throw new TemplateError(
        `The template language function 'padLeft' expects a single padding character.`,
      )
    return value.padStart(intArg(name, args, 1), pad)
  },
  string: (args, _env, name) => {
    expectCount(name, args, 1)
    return toArmString(args[0])
  },
  base64: (args, _env, name) => {
    expectCount(name, args, 1)
    return Buffer.from(stringArg(name, args, 0), 'utf8').toString('base64')
  },
  base64tostring: (args, _env, name) => {
    expectCount(name, args, 1)
    return Buffer.from(stringArg(name, args, 0), 'base64').toString('utf8')
  },
  uricomponent: (args, _env, name) => {
    expectCount(name, args, 1)
    return encodeURIComponent(stringArg(name, args, 0))
  },
  uricomponenttostring: (args, _env, name) => {
    expectCount(name, args, 1)
    return decodeURIComponent(stringArg(name, args, 0))
  },
  uri: (args, _env, name) => {
    expectCount(name, args, 2)
    return new URL(stringArg(name, args, 1), stringArg(name, args, 0)).toString()
  },
  uniquestring: (args, _env, name) => uniqueString(...allStrings(name, args)),
  guid: (args, _env, name) => armGuid(...allStrings(name, args)),
  newguid: (args, env, name) => {
    expectCount(name, args, 0)
    parameterDefaultOnly(env, 'newGuid')
    return env.newGuid()
  },
  indexof: (args, _env, name) => {
    expectCount(name, args, 2)
    const container = stringOrArrayArg(name, args, 0)
    if (Array.isArray(container)) return container.findIndex((item) => item === args[1])
    return container.toLowerCase().indexOf(stringArg(name, args, 1).toLowerCase())
  },
  lastindexof: (args, _env, name) => {
    expectCount(name, args, 2)
    const container = stringOrArrayArg(name, args, 0)
    if (Array.isArray(container)) return container.findLastIndex((item) => item === args[1])
    return container.toLowerCase().lastIndexOf(stringArg(name, args, 1).toLowerCase())
  },
}
