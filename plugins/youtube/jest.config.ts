/* eslint-disable */
const nodeJestConfig = require('../../tools/jest-node.cjs');
export default nodeJestConfig(__dirname, 'plugin-youtube');
