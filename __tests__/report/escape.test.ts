import { describe, it, expect } from '@jest/globals'
import {
  clip,
  escapeHtml,
  escapeMarkdownInline,
  markdownCodeSpan,
  neutralizeCommandLines,
  sanitizeText
} from '../../src/report/escape.js'

describe('escapeHtml', () => {
  it('escapes markup, quotes, table pipes, backticks and newlines', () => {
    expect(escapeHtml(`<a href="x" title='y'>&|\`\n\r`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#124;&#96;&#10;&#13;'
    )
  })

  it('makes control and bidi characters visible', () => {
    expect(escapeHtml('a\u0000b\u202ec')).toBe('a\\u{0}b\\u{202e}c')
  })
})

describe('escapeMarkdownInline', () => {
  it('neutralises links, emphasis and HTML on one line', () => {
    expect(escapeMarkdownInline('[x](y) *b* <i>\nnext')).toBe(
      '\\[x\\]\\(y\\) \\*b\\* &lt;i&gt; next'
    )
  })
})

describe('markdownCodeSpan', () => {
  it('uses a fence longer than any backtick run and escapes pipes', () => {
    expect(markdownCodeSpan('a``b|c')).toBe('```a``b\\|c```')
    expect(markdownCodeSpan('`x')).toBe('`` `x ``')
  })
})

describe('sanitizeText', () => {
  it.each([
    ['\u001b[31mred\u001b[0m', 'red'],
    ['\u001b]8;;http://127.0.0.1/\u0007link\u001b]8;;\u0007', 'link'],
    ['a\rb\nc\td', 'a\\rb\\nc d'],
    ['bell\u0007', 'bell\\u{7}'],
    ['::error::x', '\\::error::x'],
    ['  ::error::x', '  \\::error::x'],
    ['\u00a0::error::x', '\u00a0\\::error::x'],
    ['##[error]x', '\\##[error]x'],
    ['a::b', 'a::b'],
    ['\u001b[31m::error::x', '\\::error::x']
  ])('sanitizes %j', (input, expected) => {
    expect(sanitizeText(input)).toBe(expected)
  })

  it('bounds the length', () => {
    expect(sanitizeText('x'.repeat(5000), 10)).toBe(`${'x'.repeat(9)}…`)
    expect(clip('abc', 5)).toBe('abc')
  })

  // a backtracking pattern would hang here for minutes: the jest timeout is the guard, the
  // speed itself is the benchmark's business
  it('handles hostile input without backtracking', () => {
    const hostile = `\u001b[${'1;'.repeat(100_000)}`
    expect(sanitizeText(hostile, 100_000)).not.toContain('\u001b')
  }, 10_000)
})

describe('neutralizeCommandLines', () => {
  it('guards every line that would start a workflow command', () => {
    expect(neutralizeCommandLines('ok\n::error::x\n  ##[group]y')).toBe(
      'ok\n\\::error::x\n  \\##[group]y'
    )
  })
})
