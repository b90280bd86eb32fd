// The repository the tools run from: its folder, its package.json, and the fixtures the tools share.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import FIXTURES from '../../fixtures.json' with { type: 'json' };

export { FIXTURES };
export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PACKAGE_JSON = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8'));
export const PACKAGE_NAME = PACKAGE_JSON.name;
