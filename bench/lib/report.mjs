// Turns the measured series into the tables printed on the console and written to RESULTS.md.
import { absoluteChecks, prCheck, ratioRows, statusText } from './targets.mjs'
import { mebibytes, ratioText, seconds, spreadText, summarize } from './stats.mjs'

const MEASURES = [
  ['npmCold', 'npm ci --ignore-scripts, cold'],
  ['floorCold', 'floor: fetch + gunzip + untar, cold'],
  ['floorWarm', 'floor, warm'],
  ['lockgateCold', 'lockgate scan --full, cold'],
  ['lockgateWarm', 'lockgate scan --full, warm']
]

/** A markdown table whose columns are padded, so it also reads well on a terminal. */
export function table(headers, rows) {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => String(row[i]).length))
  )
  const line = (cells) =>
    `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n'
  )
}

function seriesCells(series) {
  const runs = series ?? []
  const time = spreadText(summarize(runs.map((run) => run.ms)), seconds)
  const peak = summarize(runs.map((run) => run.peakBytes)).median
  const failed = runs.filter((run) => run.ok === false).length
  const note = failed ? ` (${failed} failed)` : ''
  return [time.median + note, time.spread, mebibytes(peak)]
}

/** The measurement table of one lockfile: each figure with its targets and their status. */
export function measurementTable(name, results) {
  const ratios = ratioRows(name, results)
  const byLabel = (prefix) => ratios.filter((row) => row.target && row.label.startsWith(prefix))
  const memory = absoluteChecks(name, results)
  const rows = MEASURES.map(([key, label]) => {
    let checks = []
    if (key === 'lockgateCold') checks = byLabel('lockgate full cold')
    if (key === 'lockgateWarm') checks = byLabel('lockgate full warm')
    const targets = checks.map((check) => `${check.target} ${check.label.split(' / ')[1]}`)
    const status = checks.map((check) => `${statusText(check.met)} (${ratioText(check.value)})`)
    if (key === 'lockgateCold') {
      for (const check of memory) {
        targets.push(`peak ${check.target}`)
        status.push(`${statusText(check.met)} (${mebibytes(check.bytes)})`)
      }
    }
    return [label, ...seriesCells(results.series[key]), targets.join('; '), status.join('; ')]
  })
  if (results.analysis) rows.push(...analysisRows(results.analysis, ratios))
  const headers = ['measure', 'median', 'min–max', 'peak RSS', 'target', 'status']
  return table(headers, rows)
}

function analysisRows(analysis, ratios) {
  const check = ratios.find((row) => row.label.startsWith('analysis'))
  const rate = (mbs) => `${mbs.toFixed(1)} MB/s`
  const spread = (list) =>
    list.length > 1 ? `${rate(Math.min(...list))}–${rate(Math.max(...list))}` : '(1 run)'
  return [
    ['in memory: gunzip + untar', rate(analysis.plainMBs), spread(analysis.plainList), '—', '', ''],
    [
      'in memory: lockgate unpack + rules',
      rate(analysis.lockgateMBs),
      spread(analysis.lockgateList),
      '—',
      `${check.target} gunzip + untar`,
      `${statusText(check.met)} (${ratioText(check.value)})`
    ]
  ]
}

export function ratioTable(name, results) {
  const rows = ratioRows(name, results).map((row) => [
    row.label,
    ratioText(row.value),
    row.target || '—',
    statusText(row.met)
  ])
  return table(['ratio (medians)', 'value', 'target', 'status'], rows)
}

export function prTable(pr) {
  const check = prCheck(pr)
  const rows = [
    [
      `lockgate PR scan, ${pr.bumps.length} bumps, cold`,
      ...seriesCells(pr.series.prCold),
      check.target,
      statusText(check.met)
    ],
    ['lockgate PR scan, warm', ...seriesCells(pr.series.prWarm), '', '']
  ]
  return table(['measure', 'median', 'min–max', 'peak RSS', 'target', 'status'], rows)
}
