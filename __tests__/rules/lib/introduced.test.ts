import { describe, expect, it } from '@jest/globals'
import {
  collectIntroduced,
  hasBaseline,
  introducedLines
} from '../../../src/rules/lib/introduced.js'
import {
  hasCStyleComments,
  isCodeFile,
  isCommentLine,
  withoutComments
} from '../../../src/rules/lib/code-files.js'
import { makeFiles } from '../../helpers/factories.js'

describe('isCodeFile', () => {
  it.each([
    ['index.js', true],
    ['lib/a.mjs', true],
    ['src/b.cts', true],
    ['scripts/setup.sh', true],
    ['tools/x.py', true],
    ['bin/cli', true],
    ['package.json', false],
    ['README.md', false],
    ['readme', false],
    ['LICENSE', false],
    ['CHANGELOG.md', false],
    ['docs/guide.js', false],
    ['test/a.js', false],
    ['lib/__tests__/a.js', false],
    ['lib/a.test.js', false],
    ['lib/a.spec.ts', false],
    ['test.js', false],
    ['tests.mjs', false],
    ['lib/a_test.js', false],
    ['lib/latest.js', true],
    ['lib/inspect.js', true],
    ['examples/send.js', false],
    ['index.d.ts', false],
    ['index.js.map', false],
    ['data.json', false]
  ])('%s -> %s', (path, expected) => {
    expect(isCodeFile(path)).toBe(expected)
  })
})

describe('isCommentLine', () => {
  it.each([
    ['a.js', '  // see https://x.io', true],
    ['a.js', ' * @see https://x.io', true],
    ['a.js', '/* x */', true],
    ['a.js', 'fetch("https://x.io")', false],
    ['a.js', '#private = 1', false],
    ['a.sh', '# curl https://x.io', true],
    ['a.py', '  # comment', true]
  ])('%s %j -> %s', (file, text, expected) => {
    expect(isCommentLine(file, text)).toBe(expected)
  })
})

describe('withoutComments', () => {
  it('blanks block comments across lines, keeping line numbers and columns', () => {
    const text = ['/*', 'Website: https://x.org/', '*/', 'run() /* a */ // b', 'go()'].join('\n')
    const lines = withoutComments(text)
    expect(lines).toHaveLength(5)
    expect(lines.slice(0, 3).every((line) => line.trim() === '')).toBe(true)
    expect(lines[3]?.trimEnd()).toBe('run()')
    expect(lines[4]).toBe('go()')
  })

  it.each([
    ["const glob = 'src/**/*.js'\nfetch('https://a.io')", 1],
    ['const u = "https://a.io/x" // note\nnext()', 0],
    ['const t = `/* not a comment`\nfetch("https://a.io")', 1],
    ['x = 1\n/* unclosed\nfetch("https://a.io")', 2]
  ])('keeps code that only looks like a comment: %j', (text, line) => {
    expect(withoutComments(text)[line]).toContain('https://a.io')
  })

  it('does not take a URL in JSX text for a line comment', () => {
    expect(withoutComments('<a>Visit https://a.io</a>')[0]).toContain('https://a.io')
  })

  it.each([
    ['a.js', true],
    ['a.tsx', true],
    ['bin/cli', true],
    ['a.sh', false],
    ['a.py', false]
  ])('hasCStyleComments(%s) -> %s', (path, expected) => {
    expect(hasCStyleComments(path)).toBe(expected)
  })
})

describe('introducedLines', () => {
  it('returns only the lines added relative to the same file, with new line numbers', () => {
    const previousFiles = makeFiles({ 'index.js': 'a\nb\nc\n' })
    const files = makeFiles({ 'index.js': 'a\nb\nnew1\nnew2\nc\n' })
    expect(introducedLines({ files, previousFiles })).toEqual([
      { file: 'index.js', line: 3, text: 'new1' },
      { file: 'index.js', line: 4, text: 'new2' }
    ])
  })

  it('treats every line of a new file as introduced and skips identical files', () => {
    const previousFiles = makeFiles({ 'index.js': 'same' })
    const files = makeFiles({ 'index.js': 'same', 'lib/new.js': 'x\ny' })
    expect(introducedLines({ files, previousFiles })).toEqual([
      { file: 'lib/new.js', line: 1, text: 'x' },
      { file: 'lib/new.js', line: 2, text: 'y' }
    ])
  })

  it('ignores a missing final newline and CRLF line endings', () => {
    const previousFiles = makeFiles({ 'a.js': 'one\r\ntwo\r\n' })
    const files = makeFiles({ 'a.js': 'one\ntwo' })
    expect(introducedLines({ files, previousFiles })).toEqual([])
  })

  it('skips non-code files and binaries', () => {
    const files = makeFiles({ 'README.md': 'x', 'test/a.js': 'x', 'b.node': Buffer.from([0, 1]) })
    expect(introducedLines({ files })).toEqual([])
  })

  it('treats everything as new without a previous version', () => {
    const files = makeFiles({ 'index.js': 'a\nb' })
    expect(hasBaseline({ files })).toBe(false)
    expect(introducedLines({ files })).toHaveLength(2)
  })

  it('falls back to a line-set comparison when the diff is too large', () => {
    const before = Array.from({ length: 300 }, (_, i) => `old ${i}`).join('\n')
    const after = Array.from({ length: 300 }, (_, i) => (i % 2 ? `old ${i}` : `new ${i}`)).join(
      '\n'
    )
    const result = introducedLines(
      { files: makeFiles({ 'a.js': after }), previousFiles: makeFiles({ 'a.js': before }) },
      { maxEditLength: 5 }
    )
    expect(result).toHaveLength(150)
    expect(result[0]).toEqual({ file: 'a.js', line: 1, text: 'new 0' })
  })

  it('caps the number of lines and says so', () => {
    const files = makeFiles({ 'a.js': 'a\nb\nc\nd' })
    const result = collectIntroduced({ files }, { maxLines: 2 })
    expect(result.lines).toHaveLength(2)
    expect(result.capped).toBe(true)
  })
})
