// action.yml is the Action's public interface: it must parse, run on node24, and every input
// and output must be read by main.ts and documented in the README.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

const action = parse(readFileSync('action.yml', 'utf8'))
const main = readFileSync('src/main.ts', 'utf8')
const readme = readFileSync('README.md', 'utf8')

describe('action.yml', () => {
  it('runs the bundled entry on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it.each(Object.keys(action.inputs))('input %s is described, read and documented', (name) => {
    const input = action.inputs[name]
    expect(typeof input.description).toBe('string')
    expect(input.description.length).toBeGreaterThan(20)
    expect(input).toHaveProperty('default')
    expect(main).toContain(`getInput('${name}')`)
    expect(readme).toContain(`| \`${name}\` |`)
  })

  it.each(['verdict', 'findings', 'report'])(
    'output %s is declared, set and documented',
    (name) => {
      expect(action.outputs[name].description.length).toBeGreaterThan(5)
      expect(main).toContain(`setOutput('${name}'`)
      expect(readme).toContain(`| \`${name}\` |`)
    }
  )
})
