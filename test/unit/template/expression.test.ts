import { describe, expect, it } from 'vitest'
import { TemplateError } from '../../../sandbox/arm/template/errors'
import {
  isExpression,
  parseExpression,
  unescapeLiteral,
} from '../../../sandbox/arm/template/expression'

describe('template expression parser', () => {
  it('parses nested calls, literals, property access and indexes', () => {
    expect(parseExpression("concat(parameters('a'), 'x''y', -3)[0].name")).toEqual({
      kind: 'property',
      name: 'name',
      target: {
        kind: 'index',
        index: { kind: 'literal', value: 0 },
        target: {
          kind: 'call',
          name: 'concat',
          args: [
            { kind: 'call', name: 'parameters', args: [{ kind: 'literal', value: 'a' }] },
            { kind: 'literal', value: "x'y" },
            { kind: 'literal', value: -3 },
          ],
        },
      },
    })
  })

  it('reads true, false and null as literals and as functions', () => {
    expect(parseExpression('if(true, null, false)')).toMatchObject({
      args: [{ value: true }, { value: null }, { value: false }],
    })
    expect(parseExpression('true()')).toEqual({ kind: 'call', name: 'true', args: [] })
  })

  it('allows whitespace between tokens', () => {
    expect(parseExpression(" concat( 'a' ,  'b' ) ")).toMatchObject({
      kind: 'call',
      args: [{ value: 'a' }, { value: 'b' }],
    })
  })

  it('reports unbalanced parentheses as Azure does', () => {
    expect(() => parseExpression("concat('a'")).toThrow(
      "Unable to parse language expression 'concat('a'': expected token 'RightParenthesis' and actual 'EndOfData'.",
    )
    expect(() => parseExpression("concat('a'))")).toThrow(TemplateError)
  })

  it('reports unterminated strings and stray characters', () => {
    expect(() => parseExpression("concat('a)")).toThrow(/not terminated/)
    expect(() => parseExpression('concat(#)')).toThrow(/unexpected character '#'/)
  })

  it('tells expressions from literals, including the [[ escape', () => {
    expect(isExpression("[parameters('a')]")).toBe(true)
    expect(isExpression('[[not an expression]')).toBe(false)
    expect(isExpression('plain')).toBe(false)
    expect(unescapeLiteral('[[literal]')).toBe('[literal]')
  })
})
