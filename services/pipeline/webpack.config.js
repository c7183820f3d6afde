module.exports = require('../../tools/nest-webpack.cjs')(__dirname);
