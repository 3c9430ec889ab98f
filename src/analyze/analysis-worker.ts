// The analysis worker: runs the file-dependent rules (parsing, decoding, pattern matching: the CPU
// work of a scan) on packages the main thread has fetched, so that every core works while the main
// thread keeps downloading. It is bundled as dist/analysis-worker.js; `FileAnalysis` starts it.
// It receives plain data (tarball contents, manifests) and returns plain data (findings, errors):
// nothing in a package is ever run here either.
import { parentPort, workerData } from 'node:worker_threads'
import { buildIocIndex } from '../ioc/index.js'
import { RULES } from '../rules/index.js'
import { errorMessage } from '../errors.js'
import { runRules } from './run-rules.js'
import type { AnalysisJob, AnalysisReply, AnalysisSetup } from './file-analysis.js'

const setup = workerData as AnalysisSetup
const iocs = buildIocIndex(setup.feedEntries)
const rulesById = new Map(RULES.map((rule) => [rule.meta.id, rule]))
const now = new Date(setup.nowMs)

parentPort?.on('message', (job: AnalysisJob) => {
  answer(job).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) => parentPort?.postMessage({ id: job.id, failure: errorMessage(error) })
  )
})

async function answer(job: AnalysisJob): Promise<AnalysisReply> {
  const rules = job.ruleIds.map((id) => {
    const rule = rulesById.get(id)
    if (!rule) throw new Error(`the analysis worker does not know the rule ${id}`)
    return rule
  })
  const result = await runRules({
    rules,
    packages: [job.evidence],
    iocs,
    now,
    optionsFor: (ruleId) => setup.options[ruleId] ?? {}
  })
  return { id: job.id, result }
}
