/**
 * `node --import tsx bench/otpWindow.only.ts <days>`: the access-window run alone (as in
 * `npm run bench`, with Redis restarted empty halfway), printed as JSON.
 */
import { otpWindowBench } from './otpWindow.bench.js';

const result = await otpWindowBench({
  days: Number(process.argv[2] ?? 30),
  factor: 7_200,
  workers: 4,
  faultRate: 0.05,
  crashEveryMs: 4_000,
  redisRestartAt: 0.5,
});
console.log(JSON.stringify(result, null, 2));
process.exit(0);
