import { AppError } from '@sx/service-kit';
import { DEFAULT_TEMPLATE_TEXT } from './default-template';
import { assertTemplateValid, placeholdersOf, renderTemplate } from './template-variables';

describe('template variables', () => {
  it('finds the seed template variables and ignores the JSON example braces', () => {
    expect(placeholdersOf(DEFAULT_TEMPLATE_TEXT)).toEqual(['filename', 'game_context']);
    expect(assertTemplateValid(DEFAULT_TEMPLATE_TEXT)).toEqual(['filename', 'game_context']);
  });

  it('rejects unknown variables with a coded error listing them', () => {
    let err: unknown;
    try {
      assertTemplateValid('Hello {filename} from {usre_name} and {metadata.width}');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('validation_failed');
    expect((err as AppError).details).toMatchObject({ unknown: ['usre_name'] });
  });

  it('rejects empty prompts', () => {
    expect(() => assertTemplateValid('   ')).toThrow(/empty/);
  });

  it('renders values and reports the ones that were missing', () => {
    const r = renderTemplate('{filename} / {game_context} / {metadata.duration}', { filename: 'boss.mp4' });
    expect(r.prompt).toBe('boss.mp4 /  / ');
    expect(r.missing).toEqual(['game_context', 'metadata.duration']);
  });
});
