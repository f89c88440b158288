export default definePageConfig({ navigationBarTitleText: '编辑审稿', enablePullDownRefresh: true });
