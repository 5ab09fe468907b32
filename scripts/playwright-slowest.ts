import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { slowestLines, type Timed } from './slowest';

/** Prints the 10 slowest e2e tests after the run (retries count once each). */
export default class SlowestReporter implements Reporter {
  private readonly tests: Timed[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    const project = test.parent.project()?.name;
    this.tests.push({
      name: `${project ? `[${project}] ` : ''}${test.titlePath().filter(Boolean).join(' > ')}`,
      ms: result.duration,
    });
  }

  onEnd(): void {
    console.log(['', ...slowestLines('playwright', this.tests)].join('\n'));
  }
}
