export default definePageConfig({ navigationBarTitleText: '比赛结果', enableShareAppMessage: true });
