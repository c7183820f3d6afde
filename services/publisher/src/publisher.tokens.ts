/** The publisher's pino logger (created by PublisherModule with the service name). */
export const PUBLISHER_LOGGER = Symbol('PUBLISHER_LOGGER');
/** The CredentialCipher built from the key ring (SX_CREDENTIAL_KEYS or the embedded key file). */
export const CREDENTIAL_CIPHER = Symbol('CREDENTIAL_CIPHER');
