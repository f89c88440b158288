export default definePageConfig({ navigationBarTitleText: '稿件详情' });
