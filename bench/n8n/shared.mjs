// The bench's shared layer (bench/shared/*.ts: statistics, the balanced order of variants, tables and
// verdicts, the emulator in its own process), loaded from the JavaScript `npm run build:tools` compiles into
// .build/bench/shared/ (`npm run bench:n8n` and `npm run bench` build it first): the in-process bench and this
// one run the same implementation.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../.build/bench/shared/', import.meta.url));
if (!existsSync(dir)) throw new Error(`${dir} is missing: run \`npm run build:tools\` first (npm run bench:n8n does)`);
const compiled = (name) => createRequire(import.meta.url)(`${dir}${name}.js`);

export const { median, medianInterval, nowMs, quantile } = compiled('stats');
export const { balancedCycle, balancedOrder } = compiled('order');
export const { envNumber, formatter, listLines, logger, machineInfo, PROBLEMS_TITLE, table, verdictLines, writeJson } = compiled('report');
export const { EmulatorProcess } = compiled('emulatorProcess');
