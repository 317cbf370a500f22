/**
 * `node --import tsx bench/nicWindow.only.ts <days>`: the e-way bill login-window run alone
 * (as in `npm run bench`), printed as JSON.
 */
import { nicWindowBench } from './nicWindow.bench.js';

const result = await nicWindowBench({
  days: Number(process.argv[2] ?? 30),
  factor: 7_200,
  workers: 4,
  faultRate: 0.05,
  crashEveryMs: 4_000,
});
console.log(JSON.stringify(result, null, 2));
process.exit(0);
