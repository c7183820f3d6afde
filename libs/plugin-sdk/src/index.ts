/**
 * @sx/plugin-sdk — the versioned contract between SchedulerX and platform plugins.
 * A plugin's package.json holds the manifest (`schedulerx` block); its entry default-exports
 * `definePlugin({ validate, publish, connect, ...declared capabilities })`.
 */
export * from './manifest';
export * from './content';
export * from './context';
export * from './plugin';
export * from './errors';
export * from './text';
export * from './validate-limits';
export * from './json-schema';
export * from './media-access';
export * from './http/http-types';
export { createHttpClient, EgressBlockedError } from './http/http-client';
export { EgressPolicy } from './http/ssrf-guard';
export { classifyHttpError, readRateLimit, retryAfterMs } from './http/classify';
export { multipart, type MultipartField } from './http/multipart';
export * from './conformance/contract-server';
export * from './conformance/test-context';
export { runConformance, type ConformanceOptions, type ConformanceAccount } from './conformance/run-conformance';
export {
  ContractHttpServer,
  HttpFailure,
  parseJson,
  parseForm,
  parseMultipart,
  bearer,
  type Fault,
  type RouteRequest,
  type RouteResponse,
  type Handler as RouteHandler,
  type RequestLogEntry,
  type MultipartPart,
} from './conformance/contract-http-server';
export * from './manifest-renditions';
export * from './manifest-auth';
export { renditionTargets } from './rendition-targets';
