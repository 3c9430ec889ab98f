// Entry of the GitHub Action: everything happens in run().
import { run } from './main.js'

await run()
