// Small statistics and formatting helpers for the benchmark tables.

export function median(values) {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Median, min and max of a series; undefined fields for an empty one. */
export function summarize(values) {
  const clean = values.filter((value) => Number.isFinite(value))
  return {
    median: median(clean),
    min: clean.length ? Math.min(...clean) : undefined,
    max: clean.length ? Math.max(...clean) : undefined,
    count: clean.length
  }
}

export function seconds(ms) {
  if (ms === undefined) return '—'
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`
}

export function mebibytes(bytes) {
  if (bytes === undefined) return '—'
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`
}

export function ratioText(value) {
  return value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}x`
}

/** `1.23 s (1.10–1.50)`, or just the median when there was a single repetition. */
export function spreadText(summary, format) {
  if (summary.median === undefined) return { median: '—', spread: '—' }
  const spread = summary.count > 1 ? `${format(summary.min)}–${format(summary.max)}` : '(1 run)'
  return { median: format(summary.median), spread }
}
