// A silent vitest reporter: writes `{passed, failed, skipped}` as JSON to the file named by
// PM_TEST_TOTALS_FILE, so scripts/test.mjs can add the suites up without printing a report path.
import { writeFileSync } from 'node:fs';

export default class TotalsReporter {
  onTestRunEnd(testModules) {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') totals.passed++;
        else if (state === 'failed') totals.failed++;
        else totals.skipped++;
      }
    }
    const file = process.env.PM_TEST_TOTALS_FILE;
    if (file) writeFileSync(file, JSON.stringify(totals));
  }
}
