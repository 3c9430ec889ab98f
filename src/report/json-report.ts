// The JSON report: the complete, untruncated result of a scan, for people and for tools.
//
// Format (the document IS the ScanReport from src/types.ts, pretty-printed, UTF-8, final newline):
// {
//   "tool": { "name": "lockgate", "version": "0.1.0" },
//   "verdict": "pass" | "warn" | "fail",
//   "failOn": "critical" | "high" | "medium" | "low" | "info",
//   "mode": "pull-request" | "full",
//   "base": "<commit>", "head": "<commit>",            (optional)
//   "lockfiles": [{ "path": "package-lock.json", "packages": 812, "changes": 3 }],
//   "findings": [{                                      (most severe first, then lockfile, line,
//     "ruleId": "content/new-endpoint",                  rule id, package name)
//     "severity": "high",
//     "message": "one sentence",
//     "package": { "name": "debug", "version": "4.4.2", "previous": "4.4.1" },
//     "location": { "lockfile": "package-lock.json", "line": 184 },
//     "evidence": [{ "file": "index.js", "line": 12, "snippet": "…" }]
//   }],
//   "errors": [{ "code": "ELOCKFILE", "message": "…", "lockfile": "…", "line": 3,
//                "package": "…", "ruleId": "…" }],     (only `code` and `message` always present)
//   "generatedAt": "2026-11-21T00:00:00.000Z"
// }
// Strings are attacker-controlled text as found in the packages; JSON encoding makes them safe to
// store, but a consumer that renders them must escape them for its own output.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ScanReport } from '../types.js'
import { sortFindings } from './sort.js'

export function renderJsonReport(report: ScanReport): string {
  const document: ScanReport = { ...report, findings: sortFindings(report.findings) }
  return `${JSON.stringify(document, null, 2)}\n`
}

/** Writes the report to `path`, creating its folder. */
export async function writeJsonReport(report: ScanReport, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, renderJsonReport(report), 'utf8')
}
