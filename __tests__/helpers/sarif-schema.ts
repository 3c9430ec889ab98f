// The official SARIF 2.1.0 schema, as shipped by @microsoft/jest-sarif (not copied here). It is
// a draft-04 schema; apart from its top-level `id` (draft-04's spelling of `$id`) it uses no
// keyword whose meaning differs in the draft Ajv 8 implements, so that `id` is dropped before
// compiling. Its `language` pattern is not valid with the `u` flag (a stray `]`), hence
// `unicodeRegExp: false`, which is how draft-04 validators read patterns anyway.
import { Ajv, type ValidateFunction } from 'ajv'
import formatsModule from 'ajv-formats'
import { createRequire } from 'node:module'

export function loadSarifValidator(): ValidateFunction {
  const require = createRequire(import.meta.url)
  const path = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')
  const schema = require(path) as Record<string, unknown>
  const body = { ...schema }
  delete body.$schema
  delete body.id
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })
  // a CommonJS module whose `default` is the plugin, both at run time and in its types
  formatsModule.default(ajv)
  return ajv.compile(body)
}
