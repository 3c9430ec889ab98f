import { describe, expect, it } from '@jest/globals'
import { rule } from '../../../src/rules/content/dynamic-code-execution.js'
import type { Finding } from '../../../src/types.js'
import { makeChange, makeContext, makeFiles } from '../../helpers/factories.js'

const OLD = "'use strict'\nmodule.exports = function render(input) {\n  return String(input)\n}\n"
// base64 of `console.log("payload")`: decodes to code, so the code layer reports it decoded
const PAYLOAD_B64 = Buffer.from('console.log("payload")').toString('base64')

function changed(newCode: string, oldCode = OLD) {
  return makeContext({
    files: makeFiles({ 'index.js': newCode }),
    previousFiles: makeFiles({ 'index.js': oldCode })
  })
}

function added(code: string) {
  return makeContext({
    change: makeChange({ previousVersion: null }),
    files: makeFiles({ 'index.js': code })
  })
}

const alarms = (findings: Finding[]) =>
  findings.filter((finding) => ['critical', 'high', 'medium'].includes(finding.severity))

describe('content/dynamic-code-execution', () => {
  it.each([
    ['eval of a base64 literal', `eval(atob('${PAYLOAD_B64}'))`, 'critical'],
    [
      'eval of Buffer.from base64',
      `eval(Buffer.from(process.env.P || '${PAYLOAD_B64}', 'base64').toString())`,
      'critical'
    ],
    [
      'new Function of fetched text in the same new code',
      "fetch('https://x.test/p').then((r) => r.text()).then((code) => {\n  new Function(code)()\n})",
      'critical'
    ],
    [
      'vm.runInThisContext of a variable',
      "const vm = require('vm')\nvm.runInThisContext(src)",
      'medium'
    ],
    ['new Function of a variable', 'const f = new Function(body)', 'medium'],
    ['eval via a hidden global name', "global['ev' + 'al'](code)", 'high'],
    ['eval of a concatenated constant', "eval('con' + 'sole.log(1)')", 'high'],
    ['a string timer (visible code)', "setTimeout('doWork()', 10)", 'low'],
    ['new Function of constant strings (visible code)', "new Function('a', 'return a + 1')", 'low'],
    [
      'eval of a variable assigned from atob a few lines before',
      'const s = atob(input)\nconst t = s.trim()\n\nmodule.exports.run = () => eval(t)',
      'critical'
    ],
    [
      'eval of data received from a stream',
      "https.get(u, (r) => {\n  let d = ''\n  r.on('data', (c) => (d += c))\n  r.on('end', () => eval(d))\n})",
      'critical'
    ],
    [
      '(0, eval) of a decode on a minified line',
      `${'var a=1;'.repeat(200)}(0,eval)(atob(p))`,
      'critical'
    ],
    [
      'require of a base64-decoded name',
      "require(Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString())",
      'critical'
    ],
    ['require of an assembled name', "require('chi' + 'ld_process')", 'high'],
    ['require of a computed name', 'require(pluginDir + name)', 'low'],
    [
      "rollup's require('u' + 'rl') idiom",
      "const u = new (require('u' + 'rl').URL)('file:' + f)",
      'low'
    ],
    ['an eval("require") idiom', "const req = eval('require')", 'low']
  ])('changed package: %s', async (_name, line, severity) => {
    const findings = await rule.check(changed(`${OLD}${line}\n`))
    expect(findings[0]?.severity).toBe(severity)
    expect(findings[0]?.ruleId).toBe('content/dynamic-code-execution')
    expect(findings[0]?.evidence[0]?.file).toBe('index.js')
    expect(findings[0]?.evidence[0]?.line).toBeGreaterThanOrEqual(5)
    expect(findings[0]?.evidence[0]?.snippet).toBeTruthy()
  })

  it.each([
    ["new Function('return this')()", "var g = new Function('return this')()"],
    ["Function('return this')()", "var g = Function('return this')();"],
    ['a plain require', "const fs = require('fs')"],
    ['a timer with a function', 'setTimeout(() => tick(), 10)'],
    ['a RegExp named eval-ish', 'const evaluate = (x) => x * 2']
  ])('ignores %s', async (_name, line) => {
    expect(await rule.check(changed(`${OLD}${line}\n`))).toEqual([])
  })

  // shapes of real honest updates that a file-wide "eval + a decode somewhere" rule failed
  const MINIFIED_PREFIX = 'var a=1;'.repeat(150)
  const SOURCE_MAP = "const map = JSON.parse(Buffer.from(inline, 'base64').toString())"
  it.each([
    [
      'a minified lexer unescaping a literal with (0,eval), a base64 decode elsewhere',
      `${SOURCE_MAP}\n${MINIFIED_PREFIX}function N(C){try{return(0,eval)(C)}catch{}}`,
      'medium'
    ],
    [
      "a test runner's vm pool, a base64 decode elsewhere",
      `const vm = require('vm')\n${SOURCE_MAP}\n\n\n\n\n\n\n\n\n\n\n\nconst script = new vm.Script(cjsModule, { filename })\nconst fn = script.runInContext(context)`,
      'medium'
    ],
    [
      'a minified bundle calling runInNewContext and new Function, a base64 decode elsewhere',
      `${SOURCE_MAP}\n${MINIFIED_PREFIX}const Fe=require("vm");(0,Fe.runInNewContext)(t.toString(),{module:i,exports:o});try{new Function("")}catch(e){s=!0}var f=new Function(o,r.slice(t[0]+1,t[1]-1))`,
      'medium'
    ],
    [
      "function-bind's polyfill, String.fromCharCode elsewhere",
      `var s = String.fromCharCode(65)\nif (bound = Function("binder", "return function (" + joiny(boundArgs, ",") + "){ return binder.apply(this,arguments); }")(binder), target.prototype) {}`,
      'none'
    ],
    [
      "function-bind's polyfill, minified",
      `${MINIFIED_PREFIX}var s=String.fromCharCode(65);Tt=function bind(_){var w=this;if("function"!=typeof w||"[object Function]"!==St.apply(w))throw new TypeError("Function.prototype.bind called on incompatible "+w);E=Function("binder","return function ("+R.join(",")+"){ return binder.apply(this,arguments); }")(P)}`,
      'none'
    ],
    [
      'a generator feature test',
      'try { return Function("return function*() {}")() } catch (e) {}',
      'none'
    ]
  ])('changed package, honest: %s', async (_name, code, severity) => {
    const findings = await rule.check(changed(`${OLD}${code}\n`))
    expect(findings[0]?.severity ?? 'none').toBe(severity)
  })

  it('lowers (0,eval) when the previous version already had it', async () => {
    const old = `${OLD}function N(C){try{return(0,eval)(C)}catch{}}\n`
    const next = `${old.replace('N(C)', 'M(C)')}function L(C){try{return(0,eval)(C)}catch{}}\n`
    const findings = await rule.check(changed(next, old))
    expect(findings[0]?.severity).toBe('low')
  })

  it('ignores a new Function the previous version already had (template engine)', async () => {
    const engine = `${OLD}function compile(src) {\n  return new Function('data', src)\n}\n`
    const next = engine.replace('return String(input)', 'return String(input).trim()')
    expect(await rule.check(changed(next, engine))).toEqual([])
  })

  it('lowers a new eval when the previous version already used eval elsewhere', async () => {
    const old = `${OLD}exports.calc = (e) => eval(e)\n`
    const findings = await rule.check(changed(`${old}exports.calc2 = (e) => eval(e + '')\n`, old))
    expect(findings[0]?.severity).toBe('low')
  })

  it('still reports decoded data when the previous version already used eval', async () => {
    const old = `${OLD}exports.calc = (e) => eval(e)\n`
    const findings = await rule.check(changed(`${old}eval(atob('${PAYLOAD_B64}'))\n`, old))
    expect(findings[0]?.severity).toBe('critical')
  })

  it.each([
    ['a build tool vm.Script', "const vm = require('vm')\nnew vm.Script(source)", 'info'],
    ['a template engine new Function', 'module.exports = (src) => new Function("it", src)', 'low'],
    ['eval of a base64 literal', `eval(atob('${PAYLOAD_B64}'))`, 'critical'],
    [
      'new Function a few lines after a base64 decode',
      "const s = Buffer.from(x, 'base64').toString()\nconst y = 1\nconst f = new Function(s)",
      'high'
    ]
  ])('added package: %s', async (_name, code, severity) => {
    const findings = await rule.check(added(code))
    expect(findings[0]?.severity).toBe(severity)
    expect(findings[0]?.message).toMatch(/^The package /)
  })

  it('stays below medium for an added bundler with the globalThis shim and a template', async () => {
    const code = "var g = Function('return this')()\nmodule.exports = (t) => new Function('d', t)"
    expect(alarms(await rule.check(added(code)))).toEqual([])
  })
})
