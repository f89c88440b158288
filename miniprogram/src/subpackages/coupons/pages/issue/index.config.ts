export default definePageConfig({ navigationBarTitleText: '发放政府消费券' });
