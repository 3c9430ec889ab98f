// The targets of issue 7 and how each is checked against the measured series. A target that
// does not apply to a lockfile (the small one has no full-scan target) reports no status.
import { summarize } from './stats.mjs'

const GIB = 1024 * 1024 * 1024
const BIG = new Set(['medium', 'large'])

/** Median of a measured series by key, in ms (or bytes for `peak`). */
function med(results, key, field = 'ms') {
  return summarize((results.series[key] ?? []).filter(ok).map((run) => run[field])).median
}

const ok = (run) => run.ok !== false

/** Ratio rows: label, value, target text, met (true/false/undefined = no target or no data). */
export function ratioRows(name, results) {
  const lgCold = med(results, 'lockgateCold')
  const lgWarm = med(results, 'lockgateWarm')
  const npmCold = med(results, 'npmCold')
  const floorCold = med(results, 'floorCold')
  const floorWarm = med(results, 'floorWarm')
  const rows = [
    row('lockgate full cold / npm ci cold', lgCold / npmCold, BIG.has(name) ? 2 : undefined, '≤'),
    row(
      'lockgate full cold / floor cold',
      lgCold / floorCold,
      BIG.has(name) ? 1.3 : undefined,
      '≤'
    ),
    row('lockgate full warm / npm ci cold', lgWarm / npmCold, 0.1, '≤'),
    row('lockgate full warm / floor warm', lgWarm / floorWarm),
    row('floor cold / npm ci cold', floorCold / npmCold)
  ]
  if (results.analysis) {
    const { plainMBs, lockgateMBs } = results.analysis
    rows.push(row('analysis / gunzip + untar (MB/s)', lockgateMBs / plainMBs, 0.5, '≥'))
  }
  return rows
}

function row(label, value, limit, sense) {
  const valid = Number.isFinite(value)
  const target = limit === undefined ? '' : `${sense} ${limit}x`
  const met =
    limit === undefined || !valid ? undefined : sense === '≤' ? value <= limit : value >= limit
  return { label, value: valid ? value : undefined, target, met, ratio: true }
}

/** Absolute targets: peak memory of full scans (medium, large) and the PR scan's wall time. */
export function absoluteChecks(name, results) {
  const checks = []
  if (BIG.has(name)) {
    const peaks = ['lockgateCold', 'lockgateWarm'].flatMap((key) =>
      (results.series[key] ?? []).map((run) => run.peakBytes).filter(Number.isFinite)
    )
    const worst = peaks.length ? Math.max(...peaks) : undefined
    checks.push({
      label: 'lockgate full scan peak memory (worst run)',
      bytes: worst,
      target: '< 1 GiB',
      met: worst === undefined ? undefined : worst < GIB
    })
  }
  return checks
}

export function prCheck(pr) {
  const cold = summarize(pr.series.prCold.filter(ok).map((run) => run.ms)).median
  return { target: '< 2 s', met: cold === undefined ? undefined : cold < 2000, ms: cold }
}

export function statusText(met) {
  if (met === undefined) return '—'
  return met ? 'met' : '**not met**'
}
