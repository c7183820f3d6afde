#!/usr/bin/env node
// Creates the standard files of a Node project in this workspace.
// usage: node tools/scaffold-node-project.cjs <dir> <name> <lib|app> <tags comma-separated>
const fs = require('fs');
const path = require('path');

const [dir, name, kind, tags] = process.argv.slice(2);
if (!dir || !name || !['lib', 'app'].includes(kind) || !tags) {
  console.error('usage: scaffold-node-project.cjs <dir> <name> <lib|app> <tags>');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const abs = path.join(root, dir);
const up = path.relative(abs, root) || '.';
const write = (file, content) => {
  const target = path.join(abs, file);
  if (fs.existsSync(target)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
};

const targets = {
  lint: { executor: '@nx/eslint:lint', options: { lintFilePatterns: [`{projectRoot}`] } },
  test: {
    executor: '@nx/jest:jest',
    outputs: ['{workspaceRoot}/coverage/{projectRoot}'],
    options: { jestConfig: `${dir}/jest.config.ts`, passWithNoTests: false },
  },
  typecheck: {
    executor: 'nx:run-commands',
    options: { command: `tsc -p ${dir}/tsconfig.spec.json --noEmit` },
  },
};
if (kind === 'app') {
  targets.build = {
    executor: '@nx/webpack:webpack',
    outputs: ['{options.outputPath}'],
    options: { outputPath: `dist/${dir}`, webpackConfig: `${dir}/webpack.config.js` },
  };
  write('webpack.config.js', `module.exports = require('${up}/tools/nest-webpack.cjs')(__dirname);\n`);
  write('tsconfig.app.json', {
    extends: './tsconfig.json',
    compilerOptions: { outDir: `${up}/dist/out-tsc`, types: ['node'] },
    include: ['src/**/*.ts'],
    exclude: ['src/**/*.spec.ts', 'jest.config.ts'],
  });
  write('src/main.ts', '');
}
write('project.json', {
  name,
  $schema: `${up}/node_modules/nx/schemas/project-schema.json`,
  sourceRoot: `${dir}/src`,
  projectType: kind === 'app' ? 'application' : 'library',
  tags: tags.split(','),
  targets,
});
write('tsconfig.json', {
  extends: `${up}/tsconfig.base.json`,
  compilerOptions: { types: ['node', 'jest'] },
  include: ['src/**/*.ts'],
});
write('tsconfig.spec.json', {
  extends: './tsconfig.json',
  compilerOptions: { outDir: `${up}/dist/out-tsc`, types: ['jest', 'node'] },
  include: ['src/**/*.ts', 'jest.config.ts'],
});
write('jest.config.ts', `/* eslint-disable */
const nodeJestConfig = require('${up}/tools/jest-node.cjs');
export default nodeJestConfig(__dirname, '${name}');
`);
if (kind === 'lib') write('src/index.ts', '');
console.log(`scaffolded ${name} in ${dir}`);
