// ESLint: typescript-eslint's recommended type-checked rules over all the workbook's code, with
// zero warnings allowed (npm test runs `eslint --max-warnings 0`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'site/_site/', '.cache/', '.gradebook-*/', '.proof-*/', '**/*.ipynb',
      // Planted bad submissions: wrong on purpose (one does not even parse).
      'checker/proof/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.mjs', '.puppeteerrc.cjs'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // An async function that awaits nothing is how an interface that returns promises is met
      // (the in-process broker, a starter that only throws TODO): not a mistake here.
      '@typescript-eslint/require-await': 'off',
      // `reject(signal.reason)` is what AbortSignal's contract asks for, whatever the reason is.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.cjs', '**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['site/assets/*.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', localStorage: 'readonly', matchMedia: 'readonly', console: 'readonly' } },
  },
  {
    // A starter's parameters are there for the student to use: unused until the TODO is written.
    files: ['exercises/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
);
