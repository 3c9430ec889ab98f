// The exec rules' corpus cases at the severity each one is meant to have: the corpus test only
// checks "at least medium" and "below medium"; incident replays must fail the gate (high or
// critical) and honest cases must stay at low or info.
import { describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { rule as aiCli } from '../../../../src/rules/content/ai-cli-abuse.js'
import { rule as dynamic } from '../../../../src/rules/content/dynamic-code-execution.js'
import { rule as spawn } from '../../../../src/rules/content/process-spawn.js'
import type { Rule } from '../../../../src/rules/types.js'
import type { Severity } from '../../../../src/types.js'
import { contextFor, CORPUS } from '../../../helpers/corpus.js'

const CASES: [Rule, string, Severity | 'none'][] = [
  [spawn, 'malicious/shai-hulud-setup-bun', 'critical'],
  [spawn, 'malicious/trufflehog-in-new-bundle', 'high'],
  [spawn, 'malicious/scavenger-rundll32', 'high'],
  [spawn, 'malicious/added-package-curl-sh-postinstall', 'high'],
  [spawn, 'benign/cli-already-spawned-git', 'none'],
  [spawn, 'benign/dev-tool-new-git-spawn', 'low'],
  [spawn, 'benign/added-process-manager', 'info'],
  [spawn, 'benign/readme-gains-curl-install', 'none'],
  [spawn, 'benign/native-toolchain-spawn', 'low'],
  [dynamic, 'malicious/eval-base64-payload', 'critical'],
  [dynamic, 'malicious/fetch-and-run', 'critical'],
  [dynamic, 'malicious/added-package-buffer-loader', 'critical'],
  [dynamic, 'benign/template-engine-already-had-function', 'none'],
  [dynamic, 'benign/bundler-globalthis-shim', 'none'],
  [dynamic, 'benign/added-build-tool-vm-script', 'info'],
  [dynamic, 'benign/plugin-loader-computed-require', 'low'],
  [dynamic, 'benign/minified-lexer-eval', 'low'],
  [dynamic, 'benign/test-runner-vm-pool', 'low'],
  [dynamic, 'benign/function-bind-polyfill', 'none'],
  [dynamic, 'benign/cli-bundle-rewrite', 'low'],
  [aiCli, 'malicious/nx-telemetry', 'critical'],
  [aiCli, 'malicious/added-package-gemini-yolo-script', 'high'],
  [aiCli, 'benign/readme-documents-flag', 'none'],
  [aiCli, 'benign/agent-cli-option-already-present', 'none'],
  [aiCli, 'benign/added-package-defines-yolo', 'low']
]

describe('exec rules on their corpus', () => {
  it.each(CASES.map(([rule, name, severity]) => [rule.meta.id, name, severity, rule] as const))(
    '%s %s is %s',
    async (id, name, severity, rule) => {
      const findings = await rule.check(await contextFor(join(CORPUS, id, name)))
      expect(findings[0]?.severity ?? 'none').toBe(severity)
    }
  )
})
