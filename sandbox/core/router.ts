import type { Route, Service } from './http'

interface CompiledRoute {
  route: Route
  segments: Array<{ literal: string } | { param: string } | { rest: string }>
}

export interface RouteMatch {
  route: Route
  params: Record<string, string>
}

const split = (path: string) => path.split('/').filter((s) => s.length > 0)

/** Matches request paths to routes. Literal segments are compared case-insensitively. */
export class Router {
  private readonly compiled: CompiledRoute[] = []

  add(...routes: Route[]): void {
    for (const route of routes) {
      const segments = split(route.pattern).map((segment) => {
        const rest = /^\{\*(\w+)\}$/.exec(segment)
        if (rest) return { rest: rest[1]! }
        const param = /^\{(\w+)\}$/.exec(segment)
        if (param) return { param: param[1]! }
        return { literal: segment.toLowerCase() }
      })
      this.compiled.push({ route, segments })
    }
  }

  /** Finds a route for the path; `methodAllowed` is false when only the method differs. */
  match(
    service: Service,
    method: string,
    path: string,
  ): { match?: RouteMatch; pathKnown: boolean } {
    const parts = split(path)
    let pathKnown = false
    for (const { route, segments } of this.compiled) {
      if (route.service !== service) continue
      const params = matchSegments(segments, parts)
      if (!params) continue
      pathKnown = true
      if (route.method === method || route.method === '*')
        return { match: { route, params }, pathKnown }
    }
    return { pathKnown }
  }
}

function matchSegments(
  segments: CompiledRoute['segments'],
  parts: string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {}
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!
    if ('rest' in segment) {
      params[segment.rest] = parts.slice(i).join('/')
      return params
    }
    const part = parts[i]
    if (part === undefined) return undefined
    if ('literal' in segment) {
      if (part.toLowerCase() !== segment.literal) return undefined
    } else {
      params[segment.param] = part
    }
  }
  return parts.length === segments.length ? params : undefined
}
