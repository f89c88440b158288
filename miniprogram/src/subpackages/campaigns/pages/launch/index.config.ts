export default definePageConfig({ navigationBarTitleText: '发起专题' });
