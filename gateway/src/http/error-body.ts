// The one error shape lives in @sx/service-kit so the services' own byte routes answer with it too.
export { mapError, sendError, type ErrorBody, type MappedError } from '@sx/service-kit';
