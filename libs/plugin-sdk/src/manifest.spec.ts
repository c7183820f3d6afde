import { isContractCompatible, parseManifest } from './manifest';
import { checkPluginShape, definePlugin } from './plugin';
import { validationResult } from './content';
import { sampleManifest } from './fixtures/sample-manifest';


describe('parseManifest', () => {
  it('accepts a complete manifest and fills defaults', () => {
    const r = parseManifest(sampleManifest);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.manifest.rateLimits).toEqual([]);
      expect(r.manifest.settingsSchema).toEqual({ type: 'object', properties: {} });
    }
  });

  it('rejects unknown keys, bad ids and inconsistent capabilities, naming each path', () => {
    const r = parseManifest({ ...sampleManifest, id: 'Bad Id', extra: true });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.join('\n')).toMatch(/^id:/m);
      expect(r.problems.join('\n')).toMatch(/extra/);
    }
    const r2 = parseManifest({ ...sampleManifest, capabilities: ['video'] });
    expect(r2).toEqual({ ok: false, problems: ['media.video: required when the video capability is declared'] });
  });

  it('checks contract compatibility by major and minor', () => {
    expect(isContractCompatible('1.0.0', '1.2.0')).toBe(true);
    expect(isContractCompatible('1.3.0', '1.2.0')).toBe(false);
    expect(isContractCompatible('2.0.0', '1.2.0')).toBe(false);
  });
});

describe('checkPluginShape', () => {
  const base = {
    validate: () => validationResult([]),
    publish: async () => ({ platformPostId: '1', url: 'https://example.com/1' }),
    connect: async () => ({ credentials: {}, profile: { externalId: '1', handle: 'h' } }),
  };
  it('requires declared capabilities and refuses undeclared ones', () => {
    const r = parseManifest(sampleManifest);
    if (!r.ok) throw new Error('fixture invalid');
    expect(checkPluginShape(definePlugin(base), r.manifest)).toEqual([
      'reconcile: capability "reconcile" is declared but not implemented',
    ]);
    const extra = definePlugin({
      ...base,
      reconcile: async () => ({ status: 'not_found' as const }),
      deletePost: async () => undefined,
    });
    expect(checkPluginShape(extra, r.manifest)).toEqual(['deletePost: implemented but capability "delete" is not declared']);
    expect(checkPluginShape(null, r.manifest)).toHaveLength(1);
  });
});
