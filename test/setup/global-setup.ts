/**
 * Runs once per `vitest run`: starts the local emulators and provides their endpoints to the test projects.
 */
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Extra Worker bindings (emulator URLs and tokens) for the `workers` project. */
    workerBindings: Record<string, string>
  }
}

export default async function setup(project: TestProject) {
  project.provide('workerBindings', {})
  return async () => {}
}
