export default definePageConfig({
  navigationBarTitleText: '融媒社区',
  enablePullDownRefresh: true,
  onReachBottomDistance: 100,
  enableShareAppMessage: true,
});
