import type { Reporter, TestModule } from 'vitest/node';

/**
 * In CI a skipped test fails the run, so green means every suite ran: a suite whose
 * prerequisite is missing must fail saying so (test/support/prerequisites.ts), never skip.
 */
export default class NoSkippedTests implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped = testModules.flatMap((testModule) =>
      [...testModule.children.allTests()].filter((test) => test.result().state === 'skipped').map((test) => `${testModule.moduleId}: ${test.fullName}`),
    );
    if (skipped.length === 0) return;
    console.error(`\nCI runs every test, but ${skipped.length} were skipped:\n  ${skipped.join('\n  ')}`);
    process.exitCode = 1;
  }
}
