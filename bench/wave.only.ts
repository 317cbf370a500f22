/**
 * `node --import tsx bench/wave.only.ts <sessions> [faults] [keep]`: one refresh wave alone
 * (the same as in `npm run bench`), printed as JSON; `keep`: the mock keeps a refreshed token
 * valid (it revokes it by default).
 */
import { waveBench } from './wave.bench.js';

const sessions = Number(process.argv[2] ?? 2_000);
const faulty = process.argv.includes('faults');
const revokeOnRefresh = !process.argv.includes('keep');
const result = await waveBench({
  sessions,
  workers: 4,
  faultRate: faulty ? 0.05 : 0,
  killOne: faulty,
  latencyMs: 20,
  maxInFlight: 64,
  ratePerSecond: 200,
  revokeOnRefresh,
});
console.log(JSON.stringify(result, null, 2));
process.exit(0);
