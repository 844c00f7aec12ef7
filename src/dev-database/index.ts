export {
  type DevDatabase,
  type DevDatabaseKind,
  type LaunchDevDatabaseOptions,
  launchDevDatabase,
} from './launch-dev-database.js';
