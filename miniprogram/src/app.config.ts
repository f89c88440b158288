/**
 * Pages, subpackages and tab bar. Tab pages live in the main package (budget ≤ 1.2 MB); every feature and
 * staff tool is a subpackage under src/subpackages/<feature>/pages/… (see /work/team/CONTRACTS.md).
 */
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/activities/index', 'pages/merchants/index', 'pages/mine/index'],
  subPackages: [
    { root: 'subpackages/news', pages: ['pages/article/index'] },
    { root: 'subpackages/staff', pages: ['pages/login/index', 'pages/home/index'] },
    { root: 'subpackages/wenzheng', pages: ['pages/home/index', 'pages/post/index', 'pages/case/index', 'pages/mine/index', 'pages/queue/index', 'pages/boards/index'] },
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#c8102e',
    navigationBarTitleText: '融媒社区',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f6f7',
  },
  tabBar: {
    color: '#646a73',
    selectedColor: '#c8102e',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页' },
      { pagePath: 'pages/activities/index', text: '活动' },
      { pagePath: 'pages/merchants/index', text: '商家' },
      { pagePath: 'pages/mine/index', text: '我的' },
    ],
  },
  // Subpackages download ahead of time on a good network so the first tap is instant.
  preloadRule: {
    'pages/index/index': { network: 'all', packages: ['subpackages/news'] },
  },
  lazyCodeLoading: 'requiredComponents',
});
