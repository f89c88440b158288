export default definePageConfig({ navigationBarTitleText: '我的问政', enablePullDownRefresh: true });
