import { colors } from './components/ui/theme';

/**
 * Pages, subpackages and tab bar. Tab pages live in the main package (budget ≤ 1.2 MB); every feature and
 * staff tool is a subpackage under src/subpackages/<feature>/pages/… (see README.md, Architecture).
 */
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/activities/index', 'pages/merchants/index', 'pages/mine/index'],
  subPackages: [
    {
      root: 'subpackages/coupons',
      pages: ['pages/center/index', 'pages/mine/index', 'pages/batch/index', 'pages/admin/index', 'pages/issue/index'],
    },
    {
      root: 'subpackages/merchants',
      pages: ['pages/detail/index', 'pages/review/index', 'pages/apply/index', 'pages/shop/index', 'pages/edit/index'],
    },
    {
      root: 'subpackages/points',
      pages: ['pages/mine/index', 'pages/mall/index', 'pages/goods/index', 'pages/redemptions/index', 'pages/verify/index'],
    },
    { root: 'subpackages/merchant', pages: ['pages/index/index', 'pages/promotion/index', 'pages/batch/index'] },
    { root: 'subpackages/news', pages: ['pages/article/index'] },
    { root: 'subpackages/messages', pages: ['pages/index/index'] },
    { root: 'subpackages/search', pages: ['pages/index/index'] },
    {
      root: 'subpackages/contests',
      pages: [
        'pages/index/index',
        'pages/entry/index',
        'pages/file/index',
        'pages/results/index',
        'pages/jury/index',
        'pages/flagged/index',
        'pages/admin/index',
        'pages/configure/index',
      ],
    },
    { root: 'subpackages/campaigns', pages: ['pages/detail/index', 'pages/launch/index'] },
    { root: 'subpackages/staff', pages: ['pages/login/index', 'pages/home/index'] },
    {
      root: 'subpackages/activities',
      pages: [
        'pages/home/index',
        'pages/detail/index',
        'pages/checkin/index',
        'pages/record/index',
        'pages/certificate/index',
        'pages/verify/index',
      ],
    },
    { root: 'subpackages/team', pages: ['pages/index/index', 'pages/code/index', 'pages/roster/index', 'pages/create/index'] },
    {
      root: 'subpackages/wenzheng',
      pages: ['pages/home/index', 'pages/post/index', 'pages/case/index', 'pages/mine/index', 'pages/queue/index', 'pages/boards/index'],
    },
    {
      root: 'subpackages/newsroom',
      pages: [
        'pages/desk/index',
        'pages/apply/index',
        'pages/edit/index',
        'pages/piece/index',
        'pages/prereview/index',
        'pages/review/index',
        'pages/applications/index',
      ],
    },
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: colors.primary,
    navigationBarTitleText: '融媒社区',
    navigationBarTextStyle: 'white',
    // H5: Taro's own title bar (the mini-program has WeChat's): the page title, and a back control on every
    // non-tab page (home when the page was opened directly from a link). Styled in app.scss.
    navigationStyle: 'default',
    backgroundColor: colors.bg,
  },
  tabBar: {
    color: colors.textSecondary,
    selectedColor: colors.primary,
    backgroundColor: colors.surface,
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tab-bar/home.png',
        selectedIconPath: 'assets/tab-bar/home-active.png',
      },
      {
        pagePath: 'pages/activities/index',
        text: '活动',
        iconPath: 'assets/tab-bar/activities.png',
        selectedIconPath: 'assets/tab-bar/activities-active.png',
      },
      {
        pagePath: 'pages/merchants/index',
        text: '商家',
        iconPath: 'assets/tab-bar/merchants.png',
        selectedIconPath: 'assets/tab-bar/merchants-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tab-bar/mine.png',
        selectedIconPath: 'assets/tab-bar/mine-active.png',
      },
    ],
  },
  // Subpackages download ahead of time on a good network so the first tap is instant.
  preloadRule: {
    'pages/index/index': { network: 'all', packages: ['subpackages/news', 'subpackages/search'] },
  },
  lazyCodeLoading: 'requiredComponents',
  // Volunteer check-in compares the phone's position with the activity's geofence; leaders and shop owners pick
  // places on the map; the 商家 tab sorts shops by distance.
  requiredPrivateInfos: ['getLocation', 'chooseLocation'],
  permission: { 'scope.userLocation': { desc: '志愿签到时确认你在活动地点附近，也显示附近商家和活动多远' } },
});
