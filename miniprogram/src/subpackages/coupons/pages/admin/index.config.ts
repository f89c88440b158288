export default definePageConfig({ navigationBarTitleText: '政府消费券', enablePullDownRefresh: true });
