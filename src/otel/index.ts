/**
 * gstr-session/otel: the library's trace points as OpenTelemetry spans and metrics, through
 * `@opentelemetry/api` (an optional peer dependency: install it to use this entry).
 *
 * @packageDocumentation
 */

export type { GstrOtelInstrumentation, GstrOtelOptions } from './instrumentGstrSession.js';
export { instrumentGstrSession } from './instrumentGstrSession.js';
export { OTEL_METRICS, OTEL_SPAN_ATTRIBUTES } from './otelNames.js';
