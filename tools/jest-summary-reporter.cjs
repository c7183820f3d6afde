// Writes each jest project's pass/fail counts to tmp/jest-results so `npm test` can print one total.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig, options = {}) {
    this.name = options.name || 'project';
  }
  onRunComplete(_contexts, results) {
    const dir = path.resolve(__dirname, '..', 'tmp', 'jest-results');
    fs.mkdirSync(dir, { recursive: true });
    const summary = {
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
      numTotalTests: results.numTotalTests,
    };
    fs.writeFileSync(path.join(dir, `${this.name}.json`), JSON.stringify(summary));
  }
}
module.exports = SummaryReporter;
