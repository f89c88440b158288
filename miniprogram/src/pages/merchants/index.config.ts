export default definePageConfig({ navigationBarTitleText: '商家', enablePullDownRefresh: true });
