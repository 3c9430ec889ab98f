// metadata/typosquat
//
// Detects: a package added in this PR whose name imitates a popular npm package it is not
// (npm's "high-impact" set, from the npm-high-impact data package):
// - a lookalike: within one edit (Damerau-Levenshtein, a swap of two adjacent letters is one
//   edit) of a popular name, or equal to it once separators, case and a `js` suffix are ignored
//   (`expresss`, `lodahs`, `reqeust`, `node_fetch`, `@typse/node`); two edits on long names
//   (`expres-sesion`) when every changed word is long;
// - an impersonation: an unscoped name built around a distinctive popular package's or
//   organisation's name (`postmark-mcp` embeds `postmark`), published by people whose names and
//   e-mail addresses do not mention it.
//
// Why: typosquats of express, hardhat & co. carry install-time loaders; postmark-mcp was an
// unscoped name equal to another organisation's project, published by an unrelated user.
//
// Severity: a lookalike of a top-1,000 name (by downloads or by dependents) is high, of any other popular name medium; an
// impersonation is high when the publisher is known, shares nothing with the embedded name and
// the package is young (< 90 days) or has few versions (<= 5), medium when the metadata lists no
// maintainer or publisher to compare (a mirror may strip them). Either drops one level for a
// package published for over a year with at least ten versions.
//
// Limits: the popular package's own maintainers cannot be fetched by a rule, so "shares nothing"
// means "no maintainer/publisher name or e-mail of the new package contains the embedded name"
// (a spin-off by `someone@postmarkapp.com` passes). Words that many popular packages are named
// after (`react`, `eslint`, `babel`, `axios`) are ecosystem prefixes and never count as embedded;
// words shorter than four letters neither. Scoped names are their scope owner's: `@acme/lodash`
// is not an impersonation, and names within the same scope are never compared.
//
// Known false positives: third-party plugins named after a distinctive tool (`multer-s3`),
// legitimate packages one letter from a popular one (`graphiql`/`graphql`), official packages
// published from an account that does not spell the project's name.
import type { Severity } from '../../types.js'
import { makeFinding } from '../finding.js'
import { identitiesMention, publisherIdentities } from '../lib/popularity/identities.js'
import { describeLookalike, findLookalike, type Lookalike } from '../lib/popularity/lookalike.js'
import type { EmbeddedName, NameMatch } from '../lib/popularity/name-index.js'
import { TOP_COUNT } from '../lib/popularity/popular.js'
import {
  isEstablished,
  isYoungOrSparse,
  maturityOf,
  type Maturity
} from '../lib/popularity/timeline.js'
import type { Rule, RuleContext, RuleMeta } from '../types.js'

const meta: RuleMeta = {
  id: 'metadata/typosquat',
  title: 'Name imitates a popular package',
  description:
    'A newly added package whose name is a near-miss of a popular package, or an unscoped name ' +
    "built around a popular package's or organisation's name by someone unrelated to it " +
    '(postmark-mcp).',
  defaultSeverity: 'high',
  version: 1
}

const ONE_LEVEL_DOWN: Record<Severity, Severity> = {
  critical: 'high',
  high: 'medium',
  medium: 'low',
  low: 'low',
  info: 'info'
}

function check(ctx: RuleContext) {
  if (ctx.change.kind !== 'added') return []
  const lookalike = findLookalike(ctx.change.name)
  if (!lookalike) return []
  const maturity = maturityOf(ctx.packument, ctx.now)
  const judged =
    lookalike.kind === 'near'
      ? judgeNear(lookalike.match)
      : judgeEmbedded(ctx, lookalike.embedded, maturity)
  if (!judged) return []
  const severity = isEstablished(maturity) ? ONE_LEVEL_DOWN[judged.severity] : judged.severity
  return [finding(ctx, lookalike, severity, judged.why)]
}

interface Judgement {
  severity: Severity
  why: string
}

function judgeNear(match: NameMatch): Judgement {
  const top = match.top && match.distance <= 1
  return {
    severity: top ? 'high' : 'medium',
    why: top ? `among the ${TOP_COUNT} most downloaded or depended-on names` : 'a popular name'
  }
}

function judgeEmbedded(
  ctx: RuleContext,
  embedded: EmbeddedName,
  maturity: Maturity
): Judgement | undefined {
  const identities = publisherIdentities(ctx.packument, ctx.manifest)
  if (identities.length === 0) {
    return { severity: 'medium', why: 'the metadata names no maintainer or publisher to compare' }
  }
  if (
    identitiesMention(identities, embedded.popular) ||
    identitiesMention(identities, embedded.text)
  ) {
    return undefined
  }
  const unrelated = `no maintainer or publisher of it mentions "${embedded.text}"`
  return isYoungOrSparse(maturity)
    ? { severity: 'high', why: `${unrelated}, and it is new or has few versions` }
    : { severity: 'medium', why: unrelated }
}

function finding(ctx: RuleContext, lookalike: Lookalike, severity: Severity, why: string) {
  const { name } = ctx.change
  const target = lookalike.kind === 'near' ? lookalike.match.popular : lookalike.embedded.popular
  return makeFinding(
    ctx,
    meta,
    `Added package "${name}" ${describeLookalike(lookalike)} (${why}): check that this is the ` +
      `package you meant and who publishes it.`,
    [{ file: 'package.json', snippet: `"name": "${name}" ~ ${target}` }],
    severity
  )
}

export const rule: Rule = { meta, check }
