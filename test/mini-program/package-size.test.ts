/** The WeChat package budget check (scripts/miniprogram-size.ts): files split into main and subpackages, maps ignored, budgets enforced. */
import { BUDGETS, measurePackages, overBudget } from '../../scripts/miniprogram-size';

describe('mini-program package budget', () => {
  const files = [
    { path: 'app.js', size: 100 },
    { path: 'taro.js', size: 200 },
    { path: 'taro.js.map', size: 5000 },
    { path: 'pages/index/index.js', size: 50 },
    { path: 'subpackages/news/pages/article/index.js', size: 30 },
    { path: 'subpackages/news-extra/x.js', size: 7 },
    { path: 'subpackages/staff/pages/login/index.wxml', size: 20 },
  ];

  it('counts each file in its package and skips source maps', () => {
    const sizes = measurePackages(files, ['subpackages/news', 'subpackages/news-extra', '/subpackages/staff/']);
    expect(sizes.map((s) => [s.name, s.bytes, s.files])).toEqual([
      ['main', 350, 3],
      ['subpackages/news', 30, 1],
      ['subpackages/news-extra', 7, 1],
      ['subpackages/staff', 20, 1],
    ]);
    expect(overBudget(sizes)).toEqual([]);
  });

  it('fails a main package past 1.2 MB and a subpackage past 2 MB', () => {
    const big = measurePackages(
      [
        { path: 'vendors.js', size: BUDGETS.main + 1 },
        { path: 'subpackages/news/a.js', size: BUDGETS.subpackage + 1 },
      ],
      ['subpackages/news'],
    );
    const problems = overBudget(big);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^main is 1228\.8 KB, over its 1228\.8 KB budget$/);
    expect(problems[1]).toMatch(/^subpackages\/news is/);
  });
});
