export {
  type DevDatabase,
  type DevDatabaseKind,
  type DevDatabaseServer,
  type FerretDbBackend,
  type LaunchDevDatabaseOptions,
  launchDevDatabase,
} from './launch-dev-database.js';
