import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import layout from './scripts/eslint/no-import-cycles.mjs'

// Layers (DESIGN.md decision 2): only electron/main.ts and electron/desktop/ may import
// 'electron'; the renderer and shared/ never import Node or main-process code. The sandbox
// (sandbox/) is plain Node apart from the app: it imports nothing of electron/ or renderer/,
// and the app loads it only when it is used (a dynamic import; types with `import type`).
const electronOnlyHere = ['electron/main.ts', 'electron/preload.ts', 'electron/desktop/**']
const electronMessage =
  'Only electron/main.ts, electron/preload.ts and electron/desktop/ may import electron. Take what you need as an interface (DESIGN.md decision 2).'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { layout },
    rules: {
      'layout/no-import-cycles': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.{ts,tsx,mjs}'],
    ignores: electronOnlyHere,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: electronMessage,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/sandbox', '**/sandbox/**'],
              allowTypeImports: true,
              message:
                "The app loads the sandbox only when it is used: import('../sandbox/index') as electron/embedded-sandbox/sandbox-runner.ts does, and its types with import type.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: electronMessage }],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**'],
              message:
                'The sandbox is a local Azure in plain Node: it may use shared/ but no app code.',
            },
          ],
        },
      ],
    },
  },
  {
    // A refused token is renewed once by the client's own pipeline (azure/auth/token-renewal.ts),
    // which armClient() adds; an ARM client made without it fails the first challenge.
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            ":not(CallExpression[callee.name='armClient']) > NewExpression[callee.name=/^(\\w+ManagementClient|DeploymentsClient|SubscriptionClient|MonitorClient)$/]",
          message:
            'Make ARM clients through armClient(context, new …Client(…)) (electron/azure/arm-context.ts), so a refused token is renewed.',
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer talks to main only through renderer/api.ts.',
            },
          ],
          patterns: [
            {
              group: ['node:*'],
              message: 'renderer/ and shared/ run in the browser: no Node modules.',
            },
            {
              group: ['**/electron/**', '../electron/*'],
              message: 'renderer/ and shared/ may not import main-process code.',
            },
          ],
        },
      ],
    },
  },
)
