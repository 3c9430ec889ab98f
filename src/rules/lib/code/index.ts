// The code-understanding layer that content rules query: what a JavaScript file contains
// (decoded strings, calls, member paths, object keys, imports, identifiers) and what a new
// version of a package introduces compared with the previous one. Only new or changed code files
// are parsed, and every file's facts are computed once (cached per PackageFile object).
export { factsOf } from './facts-of.js'
export { introducedFacts, type IntroducedFacts } from './introduced.js'
export { decodeBase64Text } from './decode.js'
export type * from './types.js'
