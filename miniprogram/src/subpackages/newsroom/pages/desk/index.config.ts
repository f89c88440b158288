export default definePageConfig({ navigationBarTitleText: '通讯员投稿', enablePullDownRefresh: true });
