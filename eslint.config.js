import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // eval/blind is kept as its independent author wrote it (plain Node scripts, not our style).
  { ignores: ['node_modules/', 'dist/', 'data/', 'tests/artifacts/', 'eval/blind/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
