export default definePageConfig({ navigationBarTitleText: '申请成为通讯员' });
