import nx from '@nx/eslint-plugin';

const onlyShared = ['scope:shared'];
const serviceScopes = ['media', 'pipeline', 'scheduler', 'publisher', 'ai-templates', 'gateway'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/data', '**/artifacts', '**/.angular', '**/coverage'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // A service never imports another service's code; only shared libs.
            ...serviceScopes.map((s) => ({
              sourceTag: `scope:${s}`,
              onlyDependOnLibsWithTags: [`scope:${s}`, ...onlyShared],
            })),
            // The embedded all-in-one runner composes every service in one process.
            { sourceTag: 'scope:embedded', onlyDependOnLibsWithTags: ['*'] },
            // Plugins see only the plugin SDK and contracts.
            { sourceTag: 'scope:plugin', onlyDependOnLibsWithTags: ['type:contracts', 'type:plugin-sdk'] },
            { sourceTag: 'scope:dashboard', onlyDependOnLibsWithTags: ['scope:dashboard', 'type:contracts'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:plugin-sdk', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            {
              sourceTag: 'type:data-access',
              // type:testing only for specs (createTestDatabase, FakeClock); libs/testing imports no data-access lib.
              onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access', 'type:testing'],
            },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only libs/config reads process.env.' },
      ],
    },
  },
  {
    files: ['libs/config/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts', '**/e2e/**/*.ts', 'tools/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
