import { Column, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** A tiny entity + migration used by this lib's own specs. */
@Entity({ name: 'notes' })
export class NoteEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  body!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

export class NotesInit1700000000000 implements MigrationInterface {
  name = 'NotesInit1700000000000';

  async up(q: QueryRunner): Promise<void> {
    // No schema prefix on purpose: search_path must put it in the service's schema.
    await q.query(`CREATE TABLE notes (id uuid PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notes`);
  }
}
