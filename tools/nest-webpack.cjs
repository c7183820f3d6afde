// Shared webpack config for every Nest deployable: tsc (keeps decorator metadata), node_modules external.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const path = require('path');

module.exports = function nestWebpackConfig(projectDir) {
  const root = path.resolve(__dirname, '..');
  const relative = path.relative(root, projectDir);
  return {
    output: { path: path.join(root, 'dist', relative) },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        assets: [],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: false,
        sourceMap: true,
      }),
    ],
  };
};
