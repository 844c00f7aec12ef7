export {
  type DevDatabase,
  type DevDatabaseKind,
  type DevDatabaseServer,
  type LaunchDevDatabaseOptions,
  launchDevDatabase,
} from './launch-dev-database.js';
