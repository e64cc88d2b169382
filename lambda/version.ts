/** The product version, sent in `user-agent: platform-webhooks/<version>`; a test keeps it equal to package.json. */
export const VERSION = '0.1.0';
