/**
 * The mini-program's design system holds (miniprogram/src): one button family (components/ui Button, NutUI's
 * themed by our tokens — never Taro's <Button>, never NutUI's directly), no emoji used as icons, and no colour
 * written outside the tokens (styles/theme.scss for styles, components/ui/theme.ts for code). Plus the rule
 * that keeps enabled buttons looking enabled in H5: a false `disabled` never reaches the element.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { buttonAttrs } from '../../miniprogram/src/components/ui/button-attrs';

const SRC = path.resolve(__dirname, '..', '..', 'miniprogram', 'src');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files(full, out);
    else if (/\.(tsx?|scss)$/.test(name)) out.push(full);
  }
  return out;
}
const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/');
const sources = files(SRC).map((f) => ({ file: rel(f), text: readFileSync(f, 'utf8') }));

describe('mini-program design system', () => {
  it('finds the sources it checks', () => {
    expect(sources.length).toBeGreaterThan(100);
  });

  it('uses one button family: no Taro <Button>, no NutUI Button outside components/ui', () => {
    const offenders = sources.filter(
      ({ file, text }) =>
        /import\s*\{[^}]*\bButton\b[^}]*\}\s*from\s*'@tarojs\/components'/.test(text) ||
        (!file.startsWith('components/ui/') && /import\s*\{[^}]*\bButton\b[^}]*\}\s*from\s*'@nutui\/nutui-react-taro'/.test(text)),
    );
    expect(offenders.map((o) => o.file)).toEqual([]);
  });

  it('uses no emoji as icons (icons come from @nutui/icons-react-taro)', () => {
    const emoji = /[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B50}\u{231B}\u{23F3}]/u;
    const offenders = sources.filter(({ text }) => emoji.test(text)).map((o) => o.file);
    expect(offenders).toEqual([]);
  });

  it('writes no colour outside the tokens', () => {
    const colour = /#[0-9a-fA-F]{3,8}\b|rgba?\(/;
    const allowed = new Set(['styles/theme.scss', 'components/ui/theme.ts']);
    const offenders = sources
      .filter(({ file }) => !allowed.has(file))
      .flatMap(({ file, text }) =>
        text
          .split('\n')
          .map((line, i) => ({ line: line.replace(/\/\/.*$|\/\*.*?\*\//g, ''), at: `${file}:${i + 1}` }))
          .filter(({ line }) => colour.test(line))
          .map(({ at }) => at),
      );
    expect(offenders).toEqual([]);
  });

  it('never hands a false disabled to the element (Taro H5 would write disabled="false")', () => {
    expect('disabled' in buttonAttrs({ disabled: false })).toBe(false);
    expect(buttonAttrs({ disabled: true }).disabled).toBe(true);
    expect(buttonAttrs({ size: 'mini' }).size).toBe('small');
  });
});
