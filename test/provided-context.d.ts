// What test/setup/global-setup.ts provides (declared there too, for the Node-side configs): the Node-only host tests
// under test/infra/node are type-checked with the root config.
import 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    workerBindings: Record<string, string>
  }
}
