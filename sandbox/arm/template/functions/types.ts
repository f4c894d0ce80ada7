import type { Env } from '../env'
import type { Value } from '../value'

/** One template function; `name` is the spelling used in the template (for messages). */
export type TemplateFunction = (args: Value[], env: Env, name: string) => Value | Promise<Value>

/** Functions by lower-case name. */
export type FunctionTable = Record<string, TemplateFunction>
