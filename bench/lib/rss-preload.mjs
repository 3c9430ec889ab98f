// Preloaded with `node --import` when /usr/bin/time is missing: writes this process's peak
// resident memory (KiB) to the file the benchmark names, when the process exits.
import { writeFileSync } from 'node:fs'

const file = process.env.LOCKGATE_BENCH_RSS_FILE
if (file) {
  process.on('exit', () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`))
}
