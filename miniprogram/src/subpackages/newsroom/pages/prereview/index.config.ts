export default definePageConfig({ navigationBarTitleText: '圈长初审', enablePullDownRefresh: true });
