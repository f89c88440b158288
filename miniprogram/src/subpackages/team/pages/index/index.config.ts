export default definePageConfig({ navigationBarTitleText: '志愿队管理', enablePullDownRefresh: true });
