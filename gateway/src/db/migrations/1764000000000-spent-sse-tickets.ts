import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SSE tickets already redeemed, shared by every gateway replica (see SseTicketService). */
export class SpentSseTickets1764000000000 implements MigrationInterface {
  name = 'SpentSseTickets1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE gateway.spent_sse_tickets (jti text PRIMARY KEY, expires_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX spent_sse_tickets_expiry ON gateway.spent_sse_tickets (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS gateway.spent_sse_tickets`);
  }
}
