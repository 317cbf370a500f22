/**
 * `node --import tsx bench/wave.only.ts <sessions> [faults] [keep]`: one refresh wave alone
 * (the same as in `npm run bench`), printed as JSON; `keep`: the mock keeps a refreshed token
 * valid (it revokes it by default).
 */
import { standardWave, waveBench } from './wave.bench.js';

const sessions = Number(process.argv[2] ?? 2_000);
const faulty = process.argv.includes('faults');
const revokeOnRefresh = !process.argv.includes('keep');
const result = await waveBench({ ...standardWave(sessions, faulty), revokeOnRefresh });
console.log(JSON.stringify(result, null, 2));
process.exit(0);
