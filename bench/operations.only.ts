/**
 * Runs the operations benchmarks alone (`node --expose-gc --import tsx bench/operations.only.ts
 * [--quick]`): the trace points' cost and a page of `manager.sessions()` over Redis.
 */
import { otelCostBench, sessionsQueryBench } from './operations.bench.js';

const quick = process.argv.includes('--quick');
console.log(JSON.stringify({ otel: await otelCostBench(quick ? 60 : 300) }, null, 2));
console.log(
  JSON.stringify({ sessionsQuery: await sessionsQueryBench(quick ? 10_000 : 100_000) }, null, 2),
);
process.exit(0);
