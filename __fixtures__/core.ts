// A typed fake of `@actions/core` for ESM tests:
//   jest.unstable_mockModule('@actions/core', () => core)   // import * as core from '<this file>'
//   const { run } = await import('../src/main.js')
// `summary` methods are chainable (`mockReturnThis`). `jest.resetAllMocks()` drops those
// implementations: call `jest.clearAllMocks()` between tests instead.
import { jest } from '@jest/globals'
import type * as actionsCore from '@actions/core'

type Summary = typeof actionsCore.summary

export const getInput = jest.fn<typeof actionsCore.getInput>()
export const getBooleanInput = jest.fn<typeof actionsCore.getBooleanInput>()
export const getMultilineInput = jest.fn<typeof actionsCore.getMultilineInput>()
export const setOutput = jest.fn<typeof actionsCore.setOutput>()
export const setFailed = jest.fn<typeof actionsCore.setFailed>()
export const setSecret = jest.fn<typeof actionsCore.setSecret>()
export const exportVariable = jest.fn<typeof actionsCore.exportVariable>()
export const isDebug = jest.fn<typeof actionsCore.isDebug>().mockReturnValue(false)
export const info = jest.fn<typeof actionsCore.info>()
export const warning = jest.fn<typeof actionsCore.warning>()
export const error = jest.fn<typeof actionsCore.error>()
export const notice = jest.fn<typeof actionsCore.notice>()
export const debug = jest.fn<typeof actionsCore.debug>()
export const startGroup = jest.fn<typeof actionsCore.startGroup>()
export const endGroup = jest.fn<typeof actionsCore.endGroup>()
export const group = jest
  .fn<(name: string, fn: () => Promise<unknown>) => Promise<unknown>>()
  .mockImplementation(async (_name, fn) => fn()) as unknown as jest.Mock<typeof actionsCore.group>

export const summary = {
  addRaw: jest.fn<Summary['addRaw']>().mockReturnThis(),
  addEOL: jest.fn<Summary['addEOL']>().mockReturnThis(),
  addHeading: jest.fn<Summary['addHeading']>().mockReturnThis(),
  addTable: jest.fn<Summary['addTable']>().mockReturnThis(),
  addDetails: jest.fn<Summary['addDetails']>().mockReturnThis(),
  addCodeBlock: jest.fn<Summary['addCodeBlock']>().mockReturnThis(),
  addList: jest.fn<Summary['addList']>().mockReturnThis(),
  addLink: jest.fn<Summary['addLink']>().mockReturnThis(),
  addQuote: jest.fn<Summary['addQuote']>().mockReturnThis(),
  addSeparator: jest.fn<Summary['addSeparator']>().mockReturnThis(),
  addBreak: jest.fn<Summary['addBreak']>().mockReturnThis(),
  addImage: jest.fn<Summary['addImage']>().mockReturnThis(),
  emptyBuffer: jest.fn<Summary['emptyBuffer']>().mockReturnThis(),
  write: jest.fn<Summary['write']>().mockReturnThis(),
  clear: jest.fn<Summary['clear']>().mockReturnThis(),
  stringify: jest.fn<Summary['stringify']>().mockReturnValue(''),
  isEmptyBuffer: jest.fn<Summary['isEmptyBuffer']>().mockReturnValue(true)
}
