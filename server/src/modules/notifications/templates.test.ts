import { ConfigError, loadConfig } from '../../config';
import { templatesFrom } from './templates';

const config = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', ...env });

describe('subscribe-message templates from configuration', () => {
  it('takes ids from the *_TEMPLATE_* settings and the default keywords', () => {
    const templates = templatesFrom(config({ TEMPLATE_POINTS_EXPIRY: 'tpl-points', WENZHENG_TEMPLATE_PROGRESS: 'tpl-progress' }));
    expect(templates.pointsExpiry).toEqual({ id: 'tpl-points', fields: { title: 'thing1', points: 'number2', date: 'date3' } });
    expect(templates.wenzhengProgress.id).toBe('tpl-progress');
  });

  it('lets NOTIFICATION_TEMPLATE_FIELDS move a field to another keyword', () => {
    const templates = templatesFrom(config({ NOTIFICATION_TEMPLATE_FIELDS: '{"pointsExpiry":{"points":"number4"}}' }));
    expect(templates.pointsExpiry.fields).toEqual({ title: 'thing1', points: 'number4', date: 'date3' });
  });

  it('refuses overrides it cannot apply', () => {
    expect(() => config({ NOTIFICATION_TEMPLATE_FIELDS: 'not json' })).toThrow(ConfigError);
    expect(() => config({ NOTIFICATION_TEMPLATE_FIELDS: '{"pointsExpiry":{"points":"4"}}' })).toThrow(ConfigError);
    expect(() => templatesFrom(config({ NOTIFICATION_TEMPLATE_FIELDS: '{"nope":{"title":"thing1"}}' }))).toThrow(/unknown template/);
    expect(() => templatesFrom(config({ NOTIFICATION_TEMPLATE_FIELDS: '{"pointsExpiry":{"colour":"thing9"}}' }))).toThrow(
      /no field colour/,
    );
  });
});
