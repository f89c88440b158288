export default definePageConfig({ navigationBarTitleText: '比赛', enableShareAppMessage: true });
