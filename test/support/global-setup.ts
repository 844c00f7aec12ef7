import type { TestProject } from 'vitest/node';
import { launchDevDatabase } from '../../src/dev-database/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the database server launched for this test run (with a database name). */
    mongoUri: string;
  }
}

/** One real database server for the whole run; each test file works in a database of its own. */
export default async function setup(project: TestProject) {
  const database = await launchDevDatabase({ databaseName: 'test_run' });
  project.provide('mongoUri', database.uri);
  return async () => {
    await database.stop();
  };
}
