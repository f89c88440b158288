export default definePageConfig({ navigationBarTitleText: '实时名单', enablePullDownRefresh: true });
