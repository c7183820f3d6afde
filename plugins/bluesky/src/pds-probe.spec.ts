import { startLocalPds } from './testing/local-pds';
import { AtpAgent } from '@atproto/api';
test('probe', async () => {
  const t0 = Date.now();
  const pds = await startLocalPds();
  console.log('started in', Date.now() - t0);
  const acc = await pds.createAccount('alice.test', 'hunter2hunter2');
  const appPw = await pds.createAppPassword('alice.test', 'hunter2hunter2', 'sx');
  const agent = new AtpAgent({ service: pds.url });
  await agent.login({ identifier: 'alice.test', password: appPw });
  const rec = { $type: 'app.bsky.feed.post', text: 'hi', createdAt: new Date().toISOString() };
  const r1 = await agent.com.atproto.repo.createRecord({ repo: acc.did, collection: 'app.bsky.feed.post', rkey: '3kabcdefghij2', record: rec });
  console.log(JSON.stringify(r1.data));
  try { await agent.com.atproto.repo.createRecord({ repo: acc.did, collection: 'app.bsky.feed.post', rkey: '3kabcdefghij2', record: rec }); } catch (e) { console.log('dup', (e as any).status, (e as any).error, (e as any).message); }
  try { await agent.com.atproto.repo.getRecord({ repo: acc.did, collection: 'app.bsky.feed.post', rkey: '3kabcdefghij3' }); } catch (e) { console.log('missing', (e as any).status, (e as any).error, (e as any).message); }
  try { await agent.com.atproto.repo.createRecord({ repo: acc.did, collection: 'app.bsky.feed.post', record: { ...rec, text: 'x'.repeat(400) } }); } catch (e) { console.log('long', (e as any).status, (e as any).error, (e as any).message); }
  const res = await fetch(pds.url + '/xrpc/com.atproto.server.getSession', { headers: { authorization: 'Bearer garbage' } });
  console.log('bad', res.status, await res.text());
  const res2 = await fetch(pds.url + '/xrpc/com.atproto.identity.resolveHandle?handle=alice.test');
  console.log('resolve', res2.status, await res2.text());
  console.log('sess', JSON.stringify(agent.session).slice(0, 100));
  const res3 = await fetch(pds.url + '/xrpc/com.atproto.server.refreshSession', { method: 'POST', headers: { authorization: 'Bearer ' + agent.session!.refreshJwt } });
  const res4 = await fetch(pds.url + '/xrpc/com.atproto.server.refreshSession', { method: 'POST', headers: { authorization: 'Bearer ' + agent.session!.refreshJwt } });
  console.log('refresh', res3.status, res4.status, await res4.text(), res4.headers);
  await pds.stop();
});
