export { createTestDatabase, type TestDatabase } from './test-database';
export { FakeClock } from './fake-clock';
export { freePort } from './free-port';
export { startS3Server, type TestS3Server } from './s3-server';
export { testNamespace, randomName } from './namespace';
