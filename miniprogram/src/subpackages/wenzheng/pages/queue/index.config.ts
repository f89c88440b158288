export default definePageConfig({ navigationBarTitleText: '问政工作台', enablePullDownRefresh: true });
