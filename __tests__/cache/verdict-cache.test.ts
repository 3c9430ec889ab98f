import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runRules } from '../../src/analyze/run-rules.js'
import { openVerdictCache, type VerdictCache } from '../../src/cache/verdict-cache.js'
import { evictEntries } from '../../src/cache/store.js'
import type { FetchedPackage } from '../../src/registry/fetch-packages.js'
import { makeFinding } from '../../src/rules/finding.js'
import type { IocEntry, Rule, RuleContext } from '../../src/rules/types.js'
import type { PackageChange } from '../../src/types.js'
import { EMPTY_IOCS, makeChange, makeFiles } from '../helpers/factories.js'

/** A rule that counts its calls and reports one finding per call. */
function countingRule(id: string, version = 1) {
  const calls: RuleContext[] = []
  const meta = { id, title: id, description: id, defaultSeverity: 'high' as const, version }
  const rule: Rule = {
    meta,
    check: (ctx) => {
      calls.push(ctx)
      const evidence = [
        { file: 'index.js', line: 3, snippet: 'fetch(x)' },
        { file: 'lockfile', line: ctx.change.line }
      ]
      return [makeFinding(ctx, meta, `${id} saw ${ctx.files ? 'files' : 'no files'}`, evidence)]
    }
  }
  return { rule, calls }
}

const FEED: IocEntry[] = [
  { type: 'domain', value: 'evil.example', incident: 'x', source: 'y', feed: 'bundled' }
]

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lockgate-verdicts-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

function fetched(change: PackageChange, extra: Partial<FetchedPackage> = {}): FetchedPackage {
  return {
    change,
    problems: [],
    files: makeFiles({ 'index.js': 'fetch(x)' }),
    previousFiles: makeFiles({ 'index.js': '' }),
    ...extra
  }
}

function analyze(cache: VerdictCache, pkg: FetchedPackage, rules: readonly Rule[]) {
  return cache.analyze(pkg, rules, (selected) =>
    runRules({ rules: selected, packages: [pkg], iocs: EMPTY_IOCS, now: new Date() })
  )
}

describe('the verdict cache', () => {
  it('replays the file-dependent findings at the change current line and runs the others', async () => {
    const content = countingRule('content/new-endpoint')
    const metadata = countingRule('metadata/publisher-changed')
    const rules = [content.rule, metadata.rule]
    const change = makeChange({ line: 10 })

    const first = await openVerdictCache(dir, { rules, feedEntries: FEED })
    expect(await first.has(change)).toBe(false)
    const before = await analyze(first, fetched(change), rules)
    expect(first.stats()).toEqual({ hits: 0, misses: 1, stored: 1 })
    await first.close()

    // next run: the entry moved to line 42 of another lockfile, the tarballs were not fetched
    const moved = { ...change, lockfile: 'apps/web/package-lock.json', line: 42 }
    const second = await openVerdictCache(dir, { rules, feedEntries: FEED })
    expect(await second.has(moved)).toBe(true)
    const after = await analyze(
      second,
      fetched(moved, { files: undefined, previousFiles: undefined, filesSkipped: true }),
      rules
    )
    expect(content.calls).toHaveLength(1)
    expect(metadata.calls).toHaveLength(2)
    expect(second.stats()).toEqual({ hits: 1, misses: 0, stored: 0 })
    expect(second.describe()).toContain('1 of 1')

    const replayed = after.findings.find((f) => f.ruleId === 'content/new-endpoint')
    const original = before.findings.find((f) => f.ruleId === 'content/new-endpoint')
    expect(replayed).toEqual({
      ...original,
      location: { lockfile: 'apps/web/package-lock.json', line: 42 },
      evidence: [
        { file: 'index.js', line: 3, snippet: 'fetch(x)' },
        { file: 'lockfile', line: 42 }
      ]
    })
    expect(after.findings.filter((f) => f.ruleId === 'metadata/publisher-changed')).toHaveLength(1)
  })

  it('stores one small JSON file per key, written atomically', async () => {
    const { rule } = countingRule('content/new-endpoint')
    const cache = await openVerdictCache(dir, { rules: [rule], feedEntries: FEED })
    await analyze(cache, fetched(makeChange()), [rule])
    const files = await readdir(dir)
    expect(files).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)])
    const entry = JSON.parse(await readFile(join(dir, files[0]), 'utf8'))
    expect(entry.findings[0]).not.toHaveProperty('location')
    expect(entry.findings[0]).not.toHaveProperty('package')
  })

  it('misses when a rule version or the file-content indicators change', async () => {
    const change = makeChange()
    const v1 = countingRule('content/new-endpoint', 1)
    const cache = await openVerdictCache(dir, { rules: [v1.rule], feedEntries: FEED })
    await analyze(cache, fetched(change), [v1.rule])
    const v2 = countingRule('content/new-endpoint', 2)
    expect(
      await (await openVerdictCache(dir, { rules: [v2.rule], feedEntries: FEED })).has(change)
    ).toBe(false)
    const newDomain: IocEntry = { ...FEED[0], value: 'other.example' }
    const withDomain = await openVerdictCache(dir, {
      rules: [v1.rule],
      feedEntries: [...FEED, newDomain]
    })
    expect(await withDomain.has(change)).toBe(false)
    const newVersion: IocEntry = { ...FEED[0], type: 'package', value: 'lg-bad', versions: '1.0.0' }
    const withVersion = await openVerdictCache(dir, {
      rules: [v1.rule],
      feedEntries: [...FEED, newVersion]
    })
    expect(await withVersion.has(change)).toBe(true)
  })

  it('stores nothing for a package not read completely or a rule that failed', async () => {
    const { rule } = countingRule('content/new-endpoint')
    const throwing: Rule = {
      meta: { ...rule.meta, id: 'content/process-spawn' },
      check: () => {
        throw new Error('boom')
      }
    }
    const cache = await openVerdictCache(dir, { rules: [rule, throwing], feedEntries: FEED })
    const problem = { code: 'EREGISTRY' as const, which: 'previous' as const, message: 'down' }
    const cases = [
      fetched(makeChange({ name: 'a' }), { problems: [problem] }),
      fetched(makeChange({ name: 'b' }), { files: undefined }),
      fetched(makeChange({ name: 'c' }), { previousFiles: undefined })
    ]
    for (const pkg of cases) await analyze(cache, pkg, [rule])
    await analyze(cache, fetched(makeChange({ name: 'd' })), [rule, throwing])
    expect(cache.stats().stored).toBe(0)
    expect(await readdir(dir).catch(() => [])).toEqual([])
  })

  it('ignores a corrupted or foreign entry, and never passes a skipped change silently', async () => {
    const { rule } = countingRule('content/new-endpoint')
    const change = makeChange()
    const first = await openVerdictCache(dir, { rules: [rule], feedEntries: FEED })
    await analyze(first, fetched(change), [rule])
    const [file] = await readdir(dir)
    for (const junk of ['{"format":1,', '{"format":1,"key":"x","findings":[]}', '[]']) {
      await writeFile(join(dir, file), junk)
      const cache = await openVerdictCache(dir, { rules: [rule], feedEntries: FEED })
      expect(await cache.has(change)).toBe(false)
    }
    // a fetch that skipped the tarballs but whose verdict vanished: an error, not a pass
    const cache = await openVerdictCache(dir, { rules: [rule], feedEntries: FEED })
    const skipped = fetched(change, {
      files: undefined,
      previousFiles: undefined,
      filesSkipped: true
    })
    const result = await analyze(cache, skipped, [rule])
    expect(result.errors).toEqual([expect.objectContaining({ code: 'ECACHE' })])
  })

  it('keeps the folder under its size bound, least recently used first', async () => {
    const { rule } = countingRule('content/new-endpoint')
    const open = (maxBytes?: number) =>
      openVerdictCache(dir, { rules: [rule], feedEntries: FEED, ...(maxBytes ? { maxBytes } : {}) })
    const writer = await open()
    const changes = ['a', 'b', 'c', 'd', 'e'].map((name) => makeChange({ name }))
    for (const change of changes) await analyze(writer, fetched(change), [rule])
    // every entry an hour old, then reading a's verdict makes it the most recent
    const files = await readdir(dir)
    const old = new Date(Date.now() - 3_600_000)
    for (const file of files) await utimes(join(dir, file), old, old)
    const sizes = await Promise.all(files.map((f) => readFile(join(dir, f)).then((b) => b.length)))
    const reader = await open(Math.max(...sizes) + 10)
    expect(await reader.has(changes[0])).toBe(true)
    await reader.close()
    expect(await readdir(dir)).toHaveLength(1)
    const fresh = await open()
    const kept = await Promise.all(changes.map((change) => fresh.has(change)))
    expect(kept).toEqual([true, false, false, false, false])
  })

  it('removes temporary files of an interrupted write once stale', async () => {
    const temp = join(dir, `.${'a'.repeat(64)}.1.abc.tmp`)
    await writeFile(temp, '{')
    const old = new Date(Date.now() - 2 * 3_600_000)
    await utimes(temp, old, old)
    await evictEntries(dir, 1000)
    expect(await readdir(dir)).toEqual([])
  })
})
