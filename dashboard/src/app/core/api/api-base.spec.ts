import { apiUrl, loadRuntimeConfig, setApiBase } from './api-base';

describe('API base URL', () => {
  afterEach(() => setApiBase(''));

  it('keeps API paths on the same origin by default', () => {
    expect(apiUrl('/api/posts')).toBe('/api/posts');
  });

  it('puts API paths on the origin /config.json names, leaving other URLs alone', async () => {
    const fetchFn = jest.fn(async () => ({ ok: true, json: async () => ({ apiBaseUrl: 'https://api.example.com/' }) }) as unknown as Response);
    await loadRuntimeConfig(fetchFn);
    expect(fetchFn).toHaveBeenCalledWith('/config.json', { cache: 'no-store' });
    expect(apiUrl('/api/posts?limit=1')).toBe('https://api.example.com/api/posts?limit=1');
    expect(apiUrl('https://cdn.example.com/x.png')).toBe('https://cdn.example.com/x.png');
    expect(apiUrl('//evil.example/x')).toBe('//evil.example/x');
  });

  it('treats a missing or broken /config.json as "same origin"', async () => {
    setApiBase('https://old.example');
    await loadRuntimeConfig(async () => ({ ok: false }) as Response);
    expect(apiUrl('/api/x')).toBe('https://old.example/api/x');
    await loadRuntimeConfig(async () => { throw new Error('offline'); });
    expect(apiUrl('/api/x')).toBe('/api/x');
  });
});
