export default definePageConfig({ navigationBarTitleText: '参赛作品', enableShareAppMessage: true });
