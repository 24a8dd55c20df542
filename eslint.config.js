import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The BFF's folders, lowest first. A folder imports only from the layers below its own; shared/ holds types (and the
 * clock interface) that any layer may use. Top-level files (app, server, deps, main) compose everything.
 */
const LAYERS = [
  ['shared'],
  ['config', 'ops'],
  ['http'],
  ['redis', 'security'],
  ['cognito'],
  ['tokens'],
  ['session'],
  ['auth', 'proxy', 'local'],
];
const ENTRY_FILES = ['app.js', 'server.js', 'deps.js', 'main.js', 'local-stack.js'];
const LOCAL_STACK = {
  group: ['**/emulator/**', '**/lambda/**'],
  message: 'The BFF must not depend on the local stack.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'views/static/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    // Only the entry point may start the local stack: nothing createApp is built from imports the emulator.
    files: ['src/*.ts'],
    ignores: ['src/main.ts', 'src/local-stack.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [LOCAL_STACK] }] },
  },
  // Imports run one way, down the layers (a folder never imports its own layer's other folders either).
  ...LAYERS.flatMap((layer, index) =>
    layer.map((folder) => ({
      files: [`src/${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              LOCAL_STACK,
              {
                group: [
                  ...LAYERS.slice(index)
                    .flat()
                    .filter((other) => other !== folder)
                    .map((other) => `**/${other}/**`),
                  ...ENTRY_FILES.flatMap((file) => ['../', '../../', '../../../'].map((up) => `${up}${file}`)),
                ],
                message: `src/${folder} may import only the layers below it: ${LAYERS.slice(0, index).flat().join(', ') || 'nothing'} (see eslint.config.js).`,
              },
            ],
          },
        ],
      },
    })),
  ),
  {
    // The emulator's operations are independent: what several need lives in model/, never in another operation.
    files: ['src/emulator/cognito/operations/*.ts'],
    ignores: ['src/emulator/cognito/operations/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['./*'], message: 'Operations never import each other: move shared code to ../model/.' }],
        },
      ],
    },
  },
  {
    // The model holds the data; operations, auth flows and challenges use it, never the other way round.
    files: ['src/emulator/cognito/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/operations/**', '**/auth-flows/**', '**/challenges/**'],
              message: 'The model must not depend on what uses it.',
            },
          ],
        },
      ],
    },
  },
  {
    // node:test's describe() and it() return promises the runner awaits.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
