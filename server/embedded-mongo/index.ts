/**
 * Embedded MongoDB-compatible server (see README.md): `startEmbeddedMongo({ dataDir?, port?, log? })`.
 * Self-contained: imports nothing from the application.
 */
export { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from './src/server';
