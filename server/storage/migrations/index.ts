// Numbered migrations, listed statically so they work the same under tsx, a bundle or a test.
import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001_initial';
import * as m002 from './002_guest_registration';

const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_guest_registration': m002,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
