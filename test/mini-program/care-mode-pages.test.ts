/**
 * 关怀模式 reaches every page in the WeChat build (miniprogram/src/stores/care-mode.ts, withCareMode): WeChat
 * has no <html> to carry the class, so each page is drawn inside a view that carries it while the switch is
 * on, read from the device's storage at start; H5 keeps the class on <html> and gets the page unwrapped. And
 * every page registered in app.config.ts goes through withCareMode.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The types this test needs, written out: importing React's or the module's would pull their global
// declarations (@types/react, @tarojs/components) into the root program and break the e2e suites' DOM types.
type Component<P> = (props: P) => unknown;
interface ReactLike {
  createElement(type: unknown, props: object | null, ...children: unknown[]): unknown;
}
interface CareModule {
  careMode: { set(on: boolean): void };
  withCareMode<P extends object>(Page: Component<P>): Component<P>;
}

const stored = new Map<string, unknown>();
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    getStorageSync: (k: string) => stored.get(k) ?? '',
    setStorageSync: (k: string, v: unknown) => void stored.set(k, v),
    removeStorageSync: (k: string) => void stored.delete(k),
  },
}));
jest.mock('@tarojs/components', () => ({
  View: ({ className, children }: { className?: string; children?: unknown }) =>
    jest.requireActual<ReactLike>('react').createElement('view', className ? { className } : {}, children),
}));

/** The module as a new app start loads it (it reads the switch from storage then), with the React it sees. */
function freshCareMode(taroEnv: string): CareModule & { render: (Wrapped: Component<{ title: string }>) => string } {
  process.env.TARO_ENV = taroEnv;
  let loaded: ReturnType<typeof freshCareMode> | undefined;
  jest.isolateModules(() => {
    const care = jest.requireActual<CareModule>('../../miniprogram/src/stores/care-mode');
    const react = jest.requireActual<ReactLike>('react');
    const server = jest.requireActual<{ renderToStaticMarkup(element: unknown): string }>('react-dom/server');
    loaded = { ...care, render: (Wrapped) => server.renderToStaticMarkup(react.createElement(Wrapped, { title: '首页' })) };
  });
  return loaded!;
}

const Page: Component<{ title: string }> = ({ title }) =>
  jest.requireActual<ReactLike>('react').createElement('text', { className: 'page-root' }, title);

describe('关怀模式 on every page (WeChat)', () => {
  const savedEnv = process.env.TARO_ENV;
  beforeEach(() => stored.clear());
  afterAll(() => {
    process.env.TARO_ENV = savedEnv;
  });

  it('draws the page inside a view with the care class while the switch is on, and without it when off', () => {
    const { careMode, withCareMode, render } = freshCareMode('weapp');
    const Wrapped = withCareMode(Page);
    expect(render(Wrapped)).toBe('<view><text class="page-root">首页</text></view>');

    careMode.set(true);
    expect(render(Wrapped)).toBe('<view class="rm-care"><text class="page-root">首页</text></view>');

    careMode.set(false);
    expect(render(Wrapped)).not.toContain('rm-care');
  });

  it('applies the switch remembered on the device from the first page of the next start', () => {
    freshCareMode('weapp').careMode.set(true);
    const { withCareMode, render } = freshCareMode('weapp');
    expect(render(withCareMode(Page))).toContain('class="rm-care"');
  });

  it('leaves H5 pages as they are: the class on <html> does the work there', () => {
    const { withCareMode } = freshCareMode('h5');
    expect(withCareMode(Page)).toBe(Page);
  });

  it('wraps every page registered in app.config.ts', () => {
    const src = path.resolve(__dirname, '..', '..', 'miniprogram', 'src');
    const config = readFileSync(path.join(src, 'app.config.ts'), 'utf8');
    const main = [...config.slice(0, config.indexOf('subPackages')).matchAll(/'(pages\/[^']+)'/g)].map((m) => m[1]!);
    const subs = [...config.matchAll(/root: '([^']+)',\s*pages: \[([^\]]*)\]/g)].flatMap((m) =>
      [...m[2]!.matchAll(/'([^']+)'/g)].map((p) => `${m[1]}/${p[1]}`),
    );
    const pages = [...main, ...subs];
    expect(pages.length).toBeGreaterThan(50);
    const unwrapped = pages.filter((p) => !/^export default withCareMode\(\w+\);$/m.test(readFileSync(path.join(src, `${p}.tsx`), 'utf8')));
    expect(unwrapped).toEqual([]);
  });
});
