// ESLint flat config: the recommended JavaScript and typescript-eslint rules (syntax-only, no type
// information, so it runs in a few seconds), plus the project's own conventions.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', '.gen/', '.terraform-cli/', '.test-out/', 'coverage/', '**/*.d.ts', 'src/compute/lambda/bootstrap/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Provider classes come from deep paths: the package root costs seconds and hundreds of MB.
      'no-restricted-imports': ['error', { paths: [{ name: '@cdktf/provider-aws', message: 'Import provider classes by deep path (@cdktf/provider-aws/lib/<resource>).' }] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Synthesized JSON and provider escape hatches are untyped by nature.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Short functions and files in the library, the app and the toolchain: a constructor past 120
    // lines is split into named steps (validation, each group of resources). A data table may
    // disable the rule on its line, saying why.
    files: ['src/**/*.ts', 'stacks/**/*.ts', 'tools/**/*.ts', 'main.ts'],
    rules: {
      'max-lines': ['error', { max: 600 }],
      'max-lines-per-function': ['error', { max: 120 }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
