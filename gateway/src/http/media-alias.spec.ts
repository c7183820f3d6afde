import { Controller, Get, Head, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import request from 'supertest';
import { setupOwner, startGatewayTestApp, type GatewayTestApp, type SignedIn } from '../testing/gateway-test-app';

/** Stands in for media's byte route (embedded mode) or the proxy to it (distributed mode). */
@Controller('media')
class FakeMediaBytes {
  @Get(':id')
  @Head(':id')
  bytes(@Param('id') id: string, @Req() req: Request) {
    return { id, range: req.get('range') ?? null, query: req.query, url: req.originalUrl };
  }
}

describe('GET /api/media/{file_id} serves the bytes route (seed 000)', () => {
  let t: GatewayTestApp;
  let owner: SignedIn;
  beforeAll(async () => {
    t = await startGatewayTestApp({ controllers: [FakeMediaBytes] });
    owner = await setupOwner(t.http);
  });
  afterAll(() => t.close());

  it('reaches /media/{id} with the Range header and query intact, behind the same auth', async () => {
    const res = await request(t.http).get('/api/media/abc-123?download=1').set('authorization', `Bearer ${owner.accessToken}`).set('range', 'bytes=0-99');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'abc-123', range: 'bytes=0-99', query: { download: '1' } });
    expect((await request(t.http).get('/api/media/abc-123')).status).toBe(401);
  });

  it('leaves other /api/media paths and methods alone', async () => {
    const deeper = await request(t.http).get('/api/media/abc/original').set('authorization', `Bearer ${owner.accessToken}`);
    expect(deeper.status).toBe(404);
    const post = await request(t.http).post('/api/media/abc').set('authorization', `Bearer ${owner.accessToken}`).send({});
    expect(post.status).toBe(404);
  });
});
