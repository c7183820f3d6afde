/** The publisher's pino logger (created by PublisherModule with the service name). */
export const PUBLISHER_LOGGER = Symbol('PUBLISHER_LOGGER');
