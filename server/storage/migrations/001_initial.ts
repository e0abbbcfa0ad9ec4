// 001: everything the hub stores. Each table that feeds pulls carries the hub `seq` at which its
// row last changed; tombstones carry the seq of the deletion.
import type { Kysely } from 'kysely';
import { strictTable } from './strict';

export async function up(db: Kysely<unknown>): Promise<void> {
  const strict = strictTable(db);
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .$call(strict)
    .execute();
  await db.schema
    .createTable('sequence')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .$call(strict)
    .execute();
  await db
    .insertInto('sequence' as never)
    .values({ name: 'changes', value: 0 } as never)
    .execute();

  await db.schema
    .createTable('pairing_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('entrance_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('used_by_device', 'text')
    .$call(strict)
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entrance_id', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text')
    .addColumn('backlog', 'integer')
    .addColumn('clock_skew_ms', 'integer')
    .addColumn('revoked_at', 'text')
    .$call(strict)
    .execute();

  await db.schema
    .createTable('event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('entrances_json', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .$call(strict)
    .execute();

  await db.schema
    .createTable('guests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registration_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_latin', 'text')
    .addColumn('organisation', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('entrances_json', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('consent', 'text', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('origin_device', 'text')
    .$call(strict)
    .execute();

  await db.schema
    .createTable('templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('guest_id', 'text', (c) => c.notNull().references('guests.id').onDelete('cascade'))
    .addColumn('descriptor', 'blob', (c) => c.notNull())
    .addColumn('quality', 'real', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('origin_device', 'text')
    .$call(strict)
    .execute();
  await db.schema.createIndex('templates_guest').on('templates').column('guest_id').execute();

  await db.schema
    .createTable('checkins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('guest_id', 'text', (c) => c.notNull())
    .addColumn('entrance_id', 'text', (c) => c.notNull())
    .addColumn('kiosk_id', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('corrected_at', 'text', (c) => c.notNull())
    .addColumn('clock_skew_ms', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('distance', 'real')
    .addColumn('staff_id', 'text')
    .addColumn('origin_device', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .$call(strict)
    .execute();
  await db.schema
    .createIndex('checkins_guest_time')
    .on('checkins')
    .columns(['guest_id', 'corrected_at'])
    .execute();
  await db.schema
    .createIndex('checkins_time')
    .on('checkins')
    .columns(['corrected_at', 'entrance_id'])
    .execute();

  await db.schema
    .createTable('tombstones')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addPrimaryKeyConstraint('tombstones_pk', ['entity', 'id'])
    .$call(strict)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'tombstones',
    'checkins',
    'templates',
    'guests',
    'event',
    'devices',
    'pairing_codes',
    'sequence',
    'settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
