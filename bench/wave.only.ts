/**
 * `node --import tsx bench/wave.only.ts <sessions> [faults]`: one refresh wave alone (the
 * same as in `npm run bench`), printed as JSON.
 */
import { waveBench } from './wave.bench.js';

const sessions = Number(process.argv[2] ?? 2_000);
const faulty = process.argv[3] === 'faults';
const result = await waveBench({
  sessions,
  workers: 4,
  faultRate: faulty ? 0.05 : 0,
  killOne: faulty,
  latencyMs: 20,
  maxInFlight: 64,
  ratePerSecond: 200,
});
console.log(JSON.stringify(result, null, 2));
process.exit(0);
