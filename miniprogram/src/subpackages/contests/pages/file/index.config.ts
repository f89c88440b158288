export default definePageConfig({ navigationBarTitleText: '我要参赛' });
