export default definePageConfig({ navigationBarTitleText: '积分兑换核销' });
