import { configs as n8nCommunityNodes } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

// n8n's community-node rules. This package uses `recommendedWithoutN8nCloudSupport`: it needs a runtime
// dependency (@alicloud/openapi-client, Alibaba's signing SDK), which n8n Cloud's verified-node programme
// does not allow, so the Cloud-only rules (restricted globals/imports) do not apply. Self-hosted n8n
// installs the package with its dependencies as usual.
export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.build/**'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		languageOptions: { parser: tseslint.parser },
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts', 'package.json'],
		...n8nCommunityNodes.recommendedWithoutN8nCloudSupport,
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		rules: {
			// Deliberately off: the node signs requests with Alibaba's SDK (@alicloud/openapi-client), a runtime
			// dependency by design. The rule exists for n8n Cloud verification, which this package does not target.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['test/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
	},
);
