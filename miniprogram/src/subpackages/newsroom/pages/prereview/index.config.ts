export default definePageConfig({ navigationBarTitleText: '圈主初审', enablePullDownRefresh: true });
