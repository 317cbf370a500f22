// ioredis 4 ships no types (they were in @types/ioredis); the tests use it through the shape
// ioredis 6 declares, which is all the store relies on.
declare module 'ioredis4' {
  import type { Redis } from 'ioredis';

  const Redis4: typeof Redis;
  export default Redis4;
}
